using System.Diagnostics;
using ImageSync.Config;
using ImageSync.Copy;
using Spectre.Console;

namespace ImageSync.Reporting;

/// <summary>
/// Shows a run's progress while it runs. In a terminal, a live line: tags done, bytes uploaded (counted as they
/// move), throughput and a tag in flight. In a log (CI), a numbered line per finished tag, and a line every 15
/// seconds while nothing finishes, so a long or stuck copy is visible.
/// </summary>
public static class ProgressDisplay
{
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LogTick = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LogQuiet = TimeSpan.FromSeconds(15);

    public static async Task<IReadOnlyList<TagResult>> RunAsync(IAnsiConsole console, SyncRunner runner, IReadOnlyList<(ImageSpec Image, TagSpec Tag)> work, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var progress = runner.Progress;
        string Totals() =>
            $"{progress.TagsDone}/{work.Count} tags, {ResultTable.FormatBytes(progress.BytesUploaded)} uploaded"
            + $" ({ResultTable.FormatBytes((long)(progress.BytesUploaded / Math.Max(clock.Elapsed.TotalSeconds, 0.001)))}/s)";

        if (console.Profile.Capabilities.Interactive)
        {
            IReadOnlyList<TagResult> results = [];
            await console.Status().StartAsync($"0/{work.Count} tags", async status =>
                results = await WithTimerAsync(LiveRefresh, () => status.Status(Markup.Escape($"{Totals()}; {progress.InFlight ?? ""}")),
                    () => runner.RunAsync(work, cancellationToken)).ConfigureAwait(false)).ConfigureAwait(false);
            return results;
        }

        var print = new Lock();
        var printed = 0;
        var last = clock.Elapsed;
        void Finished(TagResult result)
        {
            // Numbered as printed, under the one lock: each finished tag gets its own number, in order.
            using var _ = print.EnterScope();
            last = clock.Elapsed;
            console.WriteLine($"[{++printed}/{work.Count}] {TagLabel.Of(result.Image, result.Tag)} {result.Action.Name()}{(result.Bytes > 0 ? $" ({ResultTable.FormatBytes(result.Bytes)})" : "")} in {result.Duration.TotalSeconds:0.0}s");
        }
        void Heartbeat()
        {
            using var _ = print.EnterScope();
            if (clock.Elapsed - last >= LogQuiet)
            {
                last = clock.Elapsed;
                console.WriteLine($"... {Totals()}; working on {progress.InFlight ?? "?"} ({clock.Elapsed.TotalSeconds:0}s)");
            }
        }
        runner.TagCompleted += Finished;
        try
        {
            return await WithTimerAsync(LogTick, Heartbeat, () => runner.RunAsync(work, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            runner.TagCompleted -= Finished;
        }
    }

    /// <summary>Runs <paramref name="work"/>, calling <paramref name="tick"/> every <paramref name="period"/> until it ends.</summary>
    private static async Task<T> WithTimerAsync<T>(TimeSpan period, Action tick, Func<Task<T>> work)
    {
        using var stop = new CancellationTokenSource();
        var ticking = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(period);
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                tick();
            }
        });
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await ticking.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }
}
