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
        }
        var p = context.Parameters;
        if (requireImage && p.Image is null)
        {
            await context.Error.WriteLineAsync("error: Sync needs --image NAME (SyncAll copies every image)").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        if (Select(config, p) is not { } work)
        {
            var names = config.Images.Select(i => i.Name);
            var image = p.Image is null ? null : config.FindImage(p.Image);
            await context.Error.WriteLineAsync(image is null
                ? $"error: no image \"{p.Image}\" in {config.Path}{Suggestions.DidYouMean(p.Image!, names)}"
                : $"error: image \"{image.Name}\" has no tag \"{p.Tag}\" (it has {string.Join(", ", image.Tags.Select(t => t.Target))})").ConfigureAwait(false);
            return ExitCodes.Failure;
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
        var runner = new SyncRunner(session.Client, new SyncOptions(mode, p.Concurrency, CopySignatures: !p.NoSignatures, FailFast: p.FailFast));
        var clock = Stopwatch.StartNew();
        var results = await RunWithProgressAsync(context, runner, work).ConfigureAwait(false);
        var summary = SyncSummary.From(results, clock.Elapsed);
        ResultTable.Write(context.Out, results, summary);
        if (mode == SyncMode.Status && config.CheckNewTags)
        {
            await FollowTargets.ReportNewTagsAsync(context, config, session).ConfigureAwait(false);
        }
        if (context.Environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } stepSummary)
        {
            await StepSummary.AppendAsync(stepSummary, mode.ToString(), results, summary, context.Guard, context.CancellationToken).ConfigureAwait(false);
        }
        if (p.ReportPath is { } report)
        {
            await JsonReport.WriteAsync(report, results, summary, context.Guard, context.CancellationToken).ConfigureAwait(false);
            context.Out.MarkupLine($"report: {Markup.Escape(report)}");
        }
        return mode == SyncMode.Status ? SyncSummary.StatusExitCode(results) : SyncSummary.SyncExitCode(results, work.Count);
    }

    /// <summary>In a terminal, a live line of how many tags are done; in a log, nothing until the table.</summary>
    private static async Task<IReadOnlyList<TagResult>> RunWithProgressAsync(TargetContext context, SyncRunner runner, List<(ImageSpec, TagSpec)> work)
    {
        if (!context.Out.Profile.Capabilities.Interactive)
        {
            return await runner.RunAsync(work, context.CancellationToken).ConfigureAwait(false);
        }
        IReadOnlyList<TagResult> results = [];
        await context.Out.Status().StartAsync($"0/{work.Count} tags", async status =>
        {
            var done = 0;
            runner.TagCompleted += result =>
                status.Status(Markup.Escape($"{Interlocked.Increment(ref done)}/{work.Count} tags; last: {result.Image}:{result.Tag} {result.Action.Name()}"));
            results = await runner.RunAsync(work, context.CancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>The tags to work on: everything, one image (--image), or one tag of it (--tag). Null: nothing matched.</summary>
    private static List<(ImageSpec, TagSpec)>? Select(SyncConfig config, BuildParameters p)
    {
        var images = p.Image is null ? config.Images : config.FindImage(p.Image) is { } one ? [one] : null;
        if (images is null)
        {
            return null;
        }
        var work = images.SelectMany(i => i.Tags.Where(t => p.Tag is null || t.Target == p.Tag).Select(t => (i, t))).ToList();
        return work.Count == 0 ? null : work;
    }
}
