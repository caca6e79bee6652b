using System.Diagnostics;
using ImageSync.Common;
using ImageSync.Config;
using ImageSync.Copy;
using ImageSync.Errors;
using ImageSync.Reporting;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>Status, DryRun, Sync and SyncAll: one plan, read or executed.</summary>
internal static class SyncTargets
{
    public static Task<int> Status(TargetContext context) => RunAsync(context, "Status", SyncMode.Status);

    public static Task<int> DryRun(TargetContext context) => RunAsync(context, "DryRun", SyncMode.DryRun);

    public static Task<int> Sync(TargetContext context) => RunAsync(context, "Sync", WriteMode(context));

    public static Task<int> SyncAll(TargetContext context) => RunAsync(context, "SyncAll", WriteMode(context));

    /// <summary>SyncAll on a configuration already loaded (and adjusted) by the caller.</summary>
    public static Task<int> SyncAllAsync(TargetContext context, SyncConfig config) => RunAsync(context, "SyncAll", WriteMode(context), config);

    private static SyncMode WriteMode(TargetContext context) => context.Get(ParameterTable.DryRun) ? SyncMode.DryRun : SyncMode.Sync;

    /// <summary>Merges the --report files of a sharded run: the results of every shard, one summary, one exit code.</summary>
    public static async Task<int> Report(TargetContext context)
    {
        var started = DateTimeOffset.UtcNow;
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
        context.Out.WriteLine($"{Plural.Of(merged.Files, "report")} merged from {merged.Path}");
        var exitCode = SyncSummary.MergedExitCode(merged.Results);
        var first = merged.Reports[0].Run;
        var run = RunRecord.Ending("Report", first.ConfigPath, null, started, exitCode) with { ConfigDigest = first.ConfigDigest };
        return await PublishAsync(context, "Report", merged.Results, SyncSummary.From(merged.Results, merged.Duration), run).ConfigureAwait(false) ? exitCode : ExitCodes.Failure;
    }

    /// <summary>The table, the step summary in Actions, and --report; false when the report could not be written (said).</summary>
    private static async Task<bool> PublishAsync(TargetContext context, string title, IReadOnlyList<TagResult> results, SyncSummary summary, RunRecord run)
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
            try
            {
                await JsonReport.WriteAsync(report, run, results, summary, context.Guard, context.CancellationToken).ConfigureAwait(false);
            }
            catch (ImageSyncException e)
            {
                await context.Error.WriteLineAsync($"error: --report {e.Message}").ConfigureAwait(false);
                return false;
            }
            context.Out.MarkupLine($"report: {Markup.Escape(report)}");
        }
        return true;
    }

    /// <param name="target">The target's name, as the report's run record gives it.</param>
    private static async Task<int> RunAsync(TargetContext context, string target, SyncMode mode, SyncConfig? preloaded = null)
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

        using var session = Targets.CreateSession(context, config);
        if (session is null)
        {
            return ExitCodes.Failure;
        }
        var options = new SyncOptions(mode, context.Get(ParameterTable.Concurrency), CopySignatures: !context.Get(ParameterTable.NoSignatures),
            FailFast: context.Get(ParameterTable.FailFast), Checks: context.Get(ParameterTable.Checks));
        var runner = new SyncRunner(session.Client, options);
        // The rules read upstream's lists from the run's cache, which artifact discovery reads too: one listing each.
        var expansion = await Targets.ExpandTagRulesAsync(context, config, runner.TagLists).ConfigureAwait(false);
        selection = expansion?.Selection ?? selection;
        IReadOnlyList<TagResult> ruleFailures = expansion?.Failures ?? [];
        foreach (var line in new[] { selection.Note, selection.ShardLine }.OfType<string>())
        {
            context.Out.WriteLine(line);
        }
        if (mode == SyncMode.DryRun)
        {
            context.Out.WriteLine("Dry run: both registries are read as a sync would; nothing is written.");
        }
        var started = DateTimeOffset.UtcNow;
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
        // A tag list that could not be read, or a pick another image writes, is an error row of its own.
        results = [.. results, .. ruleFailures];
        var summary = SyncSummary.From(results, clock.Elapsed);
        var exitCode = mode == SyncMode.Status ? SyncSummary.StatusExitCode(results) : SyncSummary.SyncExitCode(results, selection.Work.Count + ruleFailures.Count);
        var record = RunRecord.Ending(target, config.Path, context.Get(ParameterTable.Shard), started, exitCode);
        var published = await PublishAsync(context, mode.ToString(), results, summary, record).ConfigureAwait(false);
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
}
