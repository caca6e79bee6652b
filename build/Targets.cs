using ImageSync.Common;
using ImageSync.Config;
using ImageSync.Kustomize;
using ImageSync.Upstream;
using ImageSync.Reporting;
using ImageSync.Registry;
using ImageSync.Registry.Http;
using ImageSync.Selection;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>
/// The targets, declared as Nuke declares them (what each <see cref="TargetInfo.Requires"/> and
/// <see cref="TargetInfo.Executes"/>); each method only wires parameters to the library and chooses what to print.
/// </summary>
internal static class Targets
{
    public static readonly IReadOnlyList<TargetInfo> All =
    [
        new TargetInfo("Validate", "Check the configuration: syntax, fields, references, duplicates (exit 1 on any error)")
            .Executes(Validate),
        new TargetInfo("List", "Show the configured images: name, upstream, target, tags, platforms, policy")
            .Executes(List),
        new TargetInfo("Status", "Compare every tag upstream and in the target: in-sync, missing, outdated, conflict, upstream-missing (exit 2 when not all in sync)")
            .Executes(SyncTargets.Status),
        new TargetInfo("DryRun", "Plan a sync: read both registries as a sync would and show what would be copied, with sizes; write nothing")
            .Executes(SyncTargets.DryRun),
        new TargetInfo("Sync", "Copy one image (--image NAME), or one tag of it (--tag TAG)")
            .Requires(ParameterTable.Image, "Sync needs --image NAME (SyncAll copies every image)")
            .Executes(SyncTargets.Sync),
        new TargetInfo("SyncAll", "Copy every configured image and tag; report all failures at the end (exit 2 on conflicts)")
            .Executes(SyncTargets.SyncAll),
        new TargetInfo("Report", "Merge the JSON reports of a sharded run (--merge DIR) into one table, step summary, --report and exit code")
            .Requires(ParameterTable.Merge, "Report needs --merge DIR, the folder holding the shards' --report files")
            .Executes(SyncTargets.Report),
        new TargetInfo("Discover", "List upstream tags newest first (--image NAME, --max N) and mark those not in the configuration; edits nothing")
            .Executes(FollowTargets.Discover),
        new TargetInfo("AutoUpdate", "Pin the configuration and samples/ to the tags upstream's samples use; --commit, --pull-request, --dry-run")
            .Executes(FollowTargets.AutoUpdate),
        new TargetInfo("AutoSync", "AutoUpdate, then SyncAll, in one run (the workflows split them: update-deps proposes, sync-images copies)")
            .Executes(FollowTargets.AutoSync),
        new TargetInfo("AdoptSamples", "For a checkout whose kustomizations name vendored copies of upstream files: match them to upstream paths by content (one archive request) and write the kustomize section and upstream_samples.files into --config for review; --dry-run prints it")
            .Executes(AdoptTarget.AdoptSamples),
    ];

    private static async Task<int> Validate(TargetContext context)
    {
        var result = await LoadAsync(context).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            await context.Error.WriteLineAsync($"{DisplayPath(context)}: {Plural.Of(result.Errors.Count(), "error")}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        var config = result.Config!;
        var warnings = result.Warnings.Count();
        var rules = config.Images.Count(i => i.Rules is not null);
        context.Out.WriteLine($"{config.Path}: valid ({Plural.Of(config.Images.Count, "image")}, {Plural.Of(config.Images.Sum(i => i.Tags.Count), "tag")}{(rules > 0 ? $", {rules} with tag rules" : "")}{(warnings > 0 ? $", {Plural.Of(warnings, "warning")}" : "")})");
        return ExitCodes.Success;
    }

    private static async Task<int> List(TargetContext context)
    {
        var result = await LoadAsync(context).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return ExitCodes.Failure;
        }
        var derived = result.Kustomize is not null;
        var table = new Table().AddColumns("Name", "Upstream", "Target", "Tags", "Platforms", "Policy");
        if (derived)
        {
            table.AddColumn("From");
        }
        foreach (var image in result.Config!.Images)
        {
            string[] cells =
            [
                Markup.Escape(image.Name),
                Markup.Escape(image.Upstream.ToString()),
                Markup.Escape(image.Target.ToString()),
                Markup.Escape(string.Join(", ", image.Tags.Select(t => t.ToString()).Concat(image.Rules is { } rules ? [$"rules: {rules.Description}"] : []))),
                Markup.Escape(image.PlatformsDescription),
                image.PolicyDescription,
            ];
            table.AddRow(derived ? [.. cells, Markup.Escape(image.Origins is { } o ? string.Join("\n", o) : image.Positions.Entry.ToString())] : cells);
        }
        context.Out.Write(table);
        WriteNotOurs(context, result);
        if (!await WriteTagRulePicksAsync(context, result.Config).ConfigureAwait(false))
        {
            return ExitCodes.Failure;
        }
        if (context.Get(ParameterTable.MaxShards) is { } max)
        {
            await WriteShardPlanAsync(context, result.Config, max).ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }

    /// <summary>List: what each image's tag rules pick from upstream today, tag by tag, and why; false when a list could not be read (said).</summary>
    private static async Task<bool> WriteTagRulePicksAsync(TargetContext context, SyncConfig config)
    {
        if (!config.Images.Any(i => i.Rules is not null))
        {
            return true;
        }
        using var session = CreateSession(context, config);
        if (session is null)
        {
            return false;
        }
        RuleExpansion? expansion;
        try
        {
            expansion = await ExpandTagRulesAsync(context, config, new TagListCache(session.Client), printPicks: false).ConfigureAwait(false);
        }
        catch (Errors.ImageSyncException e)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return false;
        }
        var table = new Table().AddColumns("Name", "Tag", "Picked by");
        foreach (var pick in expansion!.Images.SelectMany(i => i.Picks.Select(p => (i.Image, p))))
        {
            table.AddRow(Markup.Escape(pick.Image.Name), Markup.Escape(pick.p.Tag), Markup.Escape(pick.p.Why));
        }
        context.Out.Write(table);
        foreach (var failure in expansion.Failures)
        {
            await context.Error.WriteLineAsync($"error: {failure.Image}: {failure.Error}").ConfigureAwait(false);
        }
        return expansion.Failures.Count == 0;
    }

    /// <summary>--max-shards: how many shards a CI matrix should run (every one with work), and which images each gets.</summary>
    private static async Task WriteShardPlanAsync(TargetContext context, SyncConfig config, int max)
    {
        var names = context.Get(ParameterTable.Image) is { } one ? [one] : config.Images.Select(i => i.Name);
        var plan = ShardPlan.For(names, max);
        context.Out.WriteLine($"shards: {plan.Count} (at most {max}; no shard without an image)");
        for (var k = 0; k < plan.Count; k++)
        {
            context.Out.WriteLine($"  {k + 1}/{plan.Count}: {string.Join(", ", plan.Shards[k])}");
        }
        if (context.Environment("GITHUB_OUTPUT") is { Length: > 0 } outputs)
        {
            await StepOutputs.AppendAsync(outputs, [("shard-count", plan.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("shards", plan.MatrixJson)], context.CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The images kustomizations pull from targets that are not ours: listed, never written.</summary>
    internal static void WriteNotOurs(TargetContext context, ConfigLoadResult result)
    {
        foreach (var pair in result.Kustomize?.NotOurs ?? [])
        {
            context.Out.WriteLine(pair.NotMirroredLine);
        }
    }

    /// <summary>
    /// Loads the configuration the parameters name, with the images its kustomizations derive unless
    /// <paramref name="derive"/> is false (AutoUpdate edits the file, not derived images), and prints every diagnostic,
    /// errors and warnings (errors only when <paramref name="quiet"/>: a reload).
    /// </summary>
    internal static async Task<ConfigLoadResult> LoadAsync(TargetContext context, bool quiet = false, bool derive = true)
    {
        var source = context.Get(ParameterTable.ImagesFile) is { } imagesFile
            ? ConfigSource.ExternalImages(imagesFile, context.Get(ParameterTable.TargetRepoPrefix))
            : ConfigSource.Json(DisplayPath(context));
        source = source with { Environment = context.Environment, Secrets = context.Guard.Secrets };
        var result = await ConfigLoader.LoadAsync(source, context.CancellationToken).ConfigureAwait(false);
        if (context.Get(ParameterTable.KustomizeTargets).Length > 0 && result.Config is { } loaded)
        {
            var settings = loaded.Kustomize;
            var error = $"{loaded.Path} has no kustomize section for it to apply to";
            if (settings is null || !KustomizeSettings.TryOverrideTargets(settings, context.Get(ParameterTable.KustomizeTargets), out settings, out error))
            {
                await context.Error.WriteLineAsync($"error: --kustomize-targets: {error}").ConfigureAwait(false);
                return result with { Config = null };
            }
            result = result with { Config = loaded with { Kustomize = settings } };
        }
        if (derive)
        {
            result = await KustomizeImages.AddAsync(result, UpstreamFiles(context), context.CancellationToken).ConfigureAwait(false);
        }
        // Each warning once per run, however many targets load the configuration (Validate List); errors every time.
        foreach (var diagnostic in quiet ? result.Errors : result.Diagnostics)
        {
            if (diagnostic.IsError || context.Warned.Add(diagnostic.ToString()))
            {
                await context.Error.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
            }
        }
        return result;
    }

    /// <summary>Raw GitHub resources of kustomizations are read as AutoUpdate reads upstream: one tarball request per ref.</summary>
    private static UpstreamFetch UpstreamFiles(TargetContext context) => async (samples, cancellationToken) =>
    {
        using var github = new GitHubSession(context.Get(ParameterTable.GitHubApiUrl), context.Environment("GITHUB_TOKEN"), FollowTargets.GitHubBounds(context.Parameters));
        var fetched = await github.Samples.FetchAsync(samples, cancellationToken).ConfigureAwait(false);
        return (fetched.Files, fetched.Notes);
    };

    /// <summary>
    /// Where images carry tag rules: reads each one's upstream tag list (once, within --image and --shard) and prints
    /// what the rules pick and why. Null when no image has rules: nothing is read.
    /// </summary>
    /// <exception cref="Errors.ImageSyncException">--image names no image.</exception>
    internal static async Task<RuleExpansion?> ExpandTagRulesAsync(TargetContext context, SyncConfig config, TagListCache tagLists, bool printPicks = true)
    {
        if (!config.Images.Any(i => i.Rules is not null))
        {
            return null;
        }
        var expansion = await TagRuleExpansion.ExpandAsync(config, context.Get(ParameterTable.Image), context.Get(ParameterTable.Tag), context.Get(ParameterTable.Shard),
            new CachedTagLists(tagLists), context.Get(ParameterTable.Checks), context.CancellationToken).ConfigureAwait(false);
        foreach (var picks in printPicks ? expansion.Images : [])
        {
            context.Out.WriteLine(picks.Line);
        }
        return expansion;
    }

    /// <summary>
    /// The registries' connection for this run, from every parameter that shapes it; prints its warnings. Null after
    /// printing the error when a mapping or key file is unusable.
    /// </summary>
    internal static RegistrySession? CreateSession(TargetContext context, SyncConfig config)
    {
        try
        {
            var session = RegistrySession.Create(config, new SessionSettings
            {
                RegistryMappings = context.Get(ParameterTable.Registry),
                AccessToken = context.Get(ParameterTable.AccessToken),
                TargetRepoAuthKeyPath = context.Get(ParameterTable.TargetRepoAuthKey),
                Concurrency = context.Get(ParameterTable.Concurrency),
                Checks = context.Get(ParameterTable.Checks),
                Retry = RetryPolicy.Default with { MaxRetries = context.Get(ParameterTable.Retries) },
                Timeouts = Timeouts.FromSeconds(context.Get(ParameterTable.Timeout)),
                Secrets = context.Guard.Secrets,
                DebugLog = context.Get(ParameterTable.Debug) ? context.Error : null,
                Environment = context.Environment,
            });
            foreach (var warning in session.Warnings.Where(context.Warned.Add))
            {
                context.Error.WriteLine($"warning: {warning}");
            }
            return session;
        }
        catch (ArgumentException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return null;
        }
    }

    /// <summary>The path as the user would write it: relative to the current folder when it is below it.</summary>
    private static string DisplayPath(TargetContext context)
    {
        var path = context.Parameters.ConfigurationPath;
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }
}
