using ImageSync.Common;
using System.Diagnostics;
using ImageSync.Config;
using ImageSync.Copy;
using ImageSync.Reporting;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>Status, DryRun, Sync and SyncAll: one plan, read or executed.</summary>
internal static class SyncTargets
{
    public static Task<int> Status(TargetContext context) => RunAsync(context, SyncMode.Status, requireImage: false);

    public static Task<int> DryRun(TargetContext context) => RunAsync(context, SyncMode.DryRun, requireImage: false);

    public static Task<int> Sync(TargetContext context) => RunAsync(context, context.Parameters.DryRun ? SyncMode.DryRun : SyncMode.Sync, requireImage: true);

    public static Task<int> SyncAll(TargetContext context) => RunAsync(context, context.Parameters.DryRun ? SyncMode.DryRun : SyncMode.Sync, requireImage: false);

    /// <summary>Merges the --report files of a sharded run: the results of every shard, one summary, one exit code.</summary>
    public static async Task<int> Report(TargetContext context)
    {
        var p = context.Parameters;
        if (p.Merge is not { } folder)
        {
            await context.Error.WriteLineAsync("error: Report needs --merge DIR, the folder holding the shards' --report files").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        if (!Directory.Exists(folder))
        {
            await context.Error.WriteLineAsync($"error: --merge: no folder {folder}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        var files = Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            await context.Error.WriteLineAsync($"error: --merge: no .json report in {folder}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        var started = DateTimeOffset.UtcNow;
        IReadOnlyList<ReportContent> reports;
        try
        {
            reports = await ShardReports.ReadAsync(folder, files, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or ImageSync.Errors.ImageSyncException)
        {
            await context.Error.WriteLineAsync($"error: --merge: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        var results = reports.SelectMany(r => r.Results).ToList();
        context.Out.WriteLine($"{Plural.Of(files.Count, "report")} merged from {folder}");
        var summary = SyncSummary.From(results, TimeSpan.FromTicks(results.Count == 0 ? 0 : results.Max(r => r.Duration.Ticks)));
        var exitCode = SyncSummary.MergedExitCode(results);
        var run = RunRecord.Ending("Report", reports[0].Run.ConfigPath, null, started, exitCode) with { ConfigDigest = reports[0].Run.ConfigDigest };
        return await PublishAsync(context, "Report", results, summary, run).ConfigureAwait(false) ? exitCode : ExitCodes.Failure;
    }

    /// <summary>The table, the step summary in Actions, and --report; false when the report could not be written (said).</summary>
    private static async Task<bool> PublishAsync(TargetContext context, string title, IReadOnlyList<TagResult> results, SyncSummary summary, RunRecord run)
    {
        ResultTable.Write(context.Out, results, summary);
        if (context.Environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } stepSummary)
        {
            await StepSummary.AppendAsync(stepSummary, title, results, summary, context.Guard, context.CancellationToken).ConfigureAwait(false);
        }
        if (context.Parameters.ReportPath is { } report)
        {
            try
            {
                await JsonReport.WriteAsync(report, run, results, summary, context.Guard, context.CancellationToken).ConfigureAwait(false);
            }
            catch (ImageSync.Errors.ImageSyncException e)
            {
                await context.Error.WriteLineAsync($"error: --report {e.Message}").ConfigureAwait(false);
                return false;
            }
            context.Out.MarkupLine($"report: {Markup.Escape(report)}");
        }
        return true;
    }

    /// <summary>SyncAll on a configuration already loaded (and adjusted) by the caller.</summary>
    public static Task<int> SyncAllAsync(TargetContext context, SyncConfig config) =>
        RunAsync(context, context.Parameters.DryRun ? SyncMode.DryRun : SyncMode.Sync, requireImage: false, config);

    private static async Task<int> RunAsync(TargetContext context, SyncMode mode, bool requireImage, SyncConfig? preloaded = null)
    {
        var config = preloaded;
        if (config is null)
        {
            var loaded = await Targets.LoadAsync(context).ConfigureAwait(false);
            if (!loaded.Succeeded)
            {
                return ExitCodes.Failure;
            }
            config = loaded.Config!;
            Targets.WriteNotOurs(context, loaded);
        }
        var p = context.Parameters;
        if (requireImage && p.Image is null)
        {
            await context.Error.WriteLineAsync("error: Sync needs --image NAME (SyncAll copies every image)").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        if (Select(config, p) is not { } work)
        {
            await context.Error.WriteLineAsync($"error: no image \"{p.Image}\" in {config.Path}{Suggestions.DidYouMean(p.Image!, config.Images.Select(i => i.Name))}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        if (p.Image is { } named && p.Tag is { } tag && config.FindImage(named) is { } chosen && !chosen.Tags.Any(t => t.Target == tag))
        {
            // As crane copy did in sail-operator's script: a tag the configuration does not list is copied as asked.
            context.Out.WriteLine($"note: {named} lists no tag \"{tag}\" (it has {string.Join(", ", chosen.Tags.Select(t => t.Target))}); working on {tag} as asked, without adding it to {Path.GetFileName(config.Path)}");
        }
        if (p.Shard is { } shard)
        {
            context.Out.WriteLine($"shard {shard}: {Plural.Of(work.Select(w => w.Item1).Distinct().Count(), "image")} of {config.Images.Count}");
        }

        using var session = Targets.CreateSession(context, config);
        if (session is null)
        {
            return ExitCodes.Failure;
        }
        if (mode == SyncMode.DryRun)
        {
            context.Out.WriteLine("Dry run: both registries are read as a sync would; nothing is written.");
        }
        var started = DateTimeOffset.UtcNow;
        var runner = new SyncRunner(session.Client, new SyncOptions(mode, p.Concurrency, CopySignatures: !p.NoSignatures, FailFast: p.FailFast, Checks: p.Checks));
        var clock = Stopwatch.StartNew();
        var results = await RunWithProgressAsync(context, runner, work).ConfigureAwait(false);
        var summary = SyncSummary.From(results, clock.Elapsed);
        var exitCode = mode == SyncMode.Status ? SyncSummary.StatusExitCode(results) : SyncSummary.SyncExitCode(results, work.Count);
        var published = await PublishAsync(context, mode.ToString(), results, summary, RunRecord.Ending(mode == SyncMode.Sync ? requireImage ? "Sync" : "SyncAll" : mode.ToString(), config.Path, p.Shard, started, exitCode)).ConfigureAwait(false);
        foreach (var line in session.Client.Usage.Describe())
        {
            context.Out.WriteLine(line);
        }
        if (mode == SyncMode.Status && config.CheckNewTags)
        {
            await FollowTargets.ReportNewTagsAsync(context, config, session).ConfigureAwait(false);
        }
        return published ? exitCode : ExitCodes.Failure;
    }

    /// <summary>
    /// In a terminal, a live line: tags done, bytes uploaded, throughput and a tag in flight. In a log (CI), a line per
    /// finished tag, and a line every 15 seconds while nothing finishes, so a long or stuck copy is visible.
    /// </summary>
    private static async Task<IReadOnlyList<TagResult>> RunWithProgressAsync(TargetContext context, SyncRunner runner, List<(ImageSpec, TagSpec)> work)
    {
        var clock = Stopwatch.StartNew();
        string Totals() =>
            $"{runner.Progress.TagsDone}/{work.Count} tags, {ResultTable.FormatBytes(runner.Progress.BytesUploaded)} uploaded"
            + $" ({ResultTable.FormatBytes((long)(runner.Progress.BytesUploaded / Math.Max(clock.Elapsed.TotalSeconds, 0.001)))}/s)";
        if (!context.Out.Profile.Capabilities.Interactive)
        {
            var last = clock.Elapsed;
            var print = new Lock();
            runner.TagCompleted += result =>
            {
                last = clock.Elapsed;
                using var _ = print.EnterScope();
                context.Out.WriteLine($"[{runner.Progress.TagsDone}/{work.Count}] {result.Image}:{result.Tag} {result.Action.Name()}{(result.Bytes > 0 ? $" ({ResultTable.FormatBytes(result.Bytes)})" : "")} in {result.Duration.TotalSeconds:0.0}s");
            };
            using var stop = new CancellationTokenSource();
            var heartbeat = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    if (clock.Elapsed - last >= TimeSpan.FromSeconds(15))
                    {
                        last = clock.Elapsed;
                        using var _ = print.EnterScope();
                        context.Out.WriteLine($"... {Totals()}; working on {runner.Progress.InFlight ?? "?"} ({clock.Elapsed.TotalSeconds:0}s)");
                    }
                }
            });
            try
            {
                return await runner.RunAsync(work, context.CancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await heartbeat.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
        IReadOnlyList<TagResult> results = [];
        await context.Out.Status().StartAsync($"0/{work.Count} tags", async status =>
        {
            using var stop = new CancellationTokenSource();
            var refresh = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    status.Status(Markup.Escape($"{Totals()}; {runner.Progress.InFlight ?? ""}"));
                }
            });
            try
            {
                results = await runner.RunAsync(work, context.CancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await refresh.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>The tags to work on: everything, one image (--image), or one tag of it (--tag). Null: nothing matched.</summary>
    /// <summary>
    /// The tags to work on: everything, one image (--image), one tag of it (--tag, listed or not), and only the images
    /// of --shard. Null: --image names no image.
    /// </summary>
    private static List<(ImageSpec, TagSpec)>? Select(SyncConfig config, BuildParameters p)
    {
        var images = p.Image is null ? config.Images : config.FindImage(p.Image) is { } one ? [one] : null;
        if (images is null)
        {
            return null;
        }
        return [.. images
            .Where(i => p.Shard is not { } shard || shard.Contains(i))
            .SelectMany(i => p.Tag is not { } tag ? i.Tags.Select(t => (i, t))
                : [(i, i.Tags.FirstOrDefault(t => t.Target == tag) ?? new TagSpec(tag, tag, i.Positions.Entry))])];
    }
}
