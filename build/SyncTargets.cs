using System.Diagnostics;
using ImageSync.Config;
using ImageSync.Copy;
using ImageSync.Errors;
using ImageSync.Reporting;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>Status, DryRun, Sync and SyncAll: one plan, read or executed.</summary>
internal static class SyncTargets
{
    public static Task<int> Status(TargetContext context) => RunAsync(context, SyncMode.Status);

    public static Task<int> DryRun(TargetContext context) => RunAsync(context, SyncMode.DryRun);

    public static Task<int> Sync(TargetContext context) => RunAsync(context, WriteMode(context));

    public static Task<int> SyncAll(TargetContext context) => RunAsync(context, WriteMode(context));

    /// <summary>SyncAll on a configuration already loaded (and adjusted) by the caller.</summary>
    public static Task<int> SyncAllAsync(TargetContext context, SyncConfig config) => RunAsync(context, WriteMode(context), config);

    private static SyncMode WriteMode(TargetContext context) => context.Get(ParameterTable.DryRun) ? SyncMode.DryRun : SyncMode.Sync;

    /// <summary>Merges the --report files of a sharded run: the results of every shard, one summary, one exit code.</summary>
    public static async Task<int> Report(TargetContext context)
    {
        ReportFolder merged;
        try
        {
            merged = await ReportFolder.ReadAsync(context.Get(ParameterTable.Merge)!, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ImageSyncException e)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        context.Out.WriteLine($"{ResultTable.Count(merged.Files, "report")} merged from {merged.Path}");
        await PublishAsync(context, "Report", merged.Results, SyncSummary.From(merged.Results, merged.Duration)).ConfigureAwait(false);
        return SyncSummary.MergedExitCode(merged.Results);
    }

    /// <summary>The table, the step summary in Actions, and --report.</summary>
    private static async Task PublishAsync(TargetContext context, string title, IReadOnlyList<TagResult> results, SyncSummary summary)
    {
        ResultTable.Write(context.Out, results, summary);
        if (ActionsAnnotation.Enabled(context.Environment))
        {
            foreach (var failed in results.Where(r => r.Error is not null))
            {
                context.Out.WriteLine(ActionsAnnotation.Error($"{title}: {TagLabel.Of(failed.Image, failed.Tag)} {failed.Action.Name()}", failed.Error!));
            }
        }
        if (context.Environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } stepSummary)
        {
            await StepSummary.AppendAsync(stepSummary, title, results, summary, context.Guard, context.CancellationToken).ConfigureAwait(false);
        }
        if (context.Get(ParameterTable.Report) is { } report)
        {
            await JsonReport.WriteAsync(report, results, summary, context.Guard, context.CancellationToken).ConfigureAwait(false);
            context.Out.MarkupLine($"report: {Markup.Escape(report)}");
        }
    }

    private static async Task<int> RunAsync(TargetContext context, SyncMode mode, SyncConfig? preloaded = null)
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
        TagSelection selection;
        try
        {
            selection = TagSelection.Select(config, context.Get(ParameterTable.Image), context.Get(ParameterTable.Tag), context.Get(ParameterTable.Shard));
        }
        catch (ImageSyncException e)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        foreach (var line in new[] { selection.Note, selection.ShardLine }.OfType<string>())
        {
            context.Out.WriteLine(line);
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
        var options = new SyncOptions(mode, context.Get(ParameterTable.Concurrency), CopySignatures: !context.Get(ParameterTable.NoSignatures),
            FailFast: context.Get(ParameterTable.FailFast), Checks: context.Get(ParameterTable.Checks));
        var runner = new SyncRunner(session.Client, options);
        var clock = Stopwatch.StartNew();
        IReadOnlyList<TagResult> results;
        try
        {
            results = await ProgressDisplay.RunAsync(context.Out, runner, selection.Work, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            foreach (var line in InterruptReport.Lines(runner.Progress, selection.Work.Count))
            {
                await context.Error.WriteLineAsync(line).ConfigureAwait(false);
            }
            throw;
        }
        var summary = SyncSummary.From(results, clock.Elapsed);
        await PublishAsync(context, mode.ToString(), results, summary).ConfigureAwait(false);
        foreach (var line in session.Client.Usage.Describe())
        {
            context.Out.WriteLine(line);
        }
        if (mode == SyncMode.Status && config.CheckNewTags)
        {
            await FollowTargets.ReportNewTagsAsync(context, config, session).ConfigureAwait(false);
        }
        return mode == SyncMode.Status ? SyncSummary.StatusExitCode(results) : SyncSummary.SyncExitCode(results, selection.Work.Count);
    }
}
