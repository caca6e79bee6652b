using ImageSync.Common;
using ImageSync.Errors;
using ImageSync.Config;
using ImageSync.Registry;
using ImageSync.Discovery;
using ImageSync.Git;
using ImageSync.Reporting;
using ImageSync.AutoUpdate;
using ImageSync.Upstream;
using Spectre.Console;

namespace ImageSync.Build;

/// <summary>Discover, AutoUpdate and AutoSync: follow upstream's tags and propose them.</summary>
internal static class FollowTargets
{
    public static async Task<int> Discover(TargetContext context)
    {
        var loaded = await Targets.LoadAsync(context).ConfigureAwait(false);
        if (!loaded.Succeeded)
        {
            return ExitCodes.Failure;
        }
        var config = loaded.Config!;
        var p = context.Parameters;
        IReadOnlyList<ImageSpec> images = config.Images;
        if (p.Get(ParameterTable.Image) is { } name)
        {
            if (config.FindImage(name) is not { } one)
            {
                await context.Error.WriteLineAsync($"error: no image \"{name}\" in {config.Path}{Suggestions.DidYouMean(name, config.Images.Select(i => i.Name))}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
            images = [one];
        }
        using var session = Targets.CreateSession(context, config);
        if (session is null)
        {
            return ExitCodes.Failure;
        }
        var discovery = new TagDiscovery(session.Client);
        var failed = false;
        foreach (var image in images)
        {
            try
            {
                var result = await discovery.DiscoverAsync(image, p.Get(ParameterTable.Max) ?? config.MaxTagsToCheck, context.CancellationToken).ConfigureAwait(false);
                var table = new Table().AddColumns("Tag", "In config", "New");
                foreach (var tag in result.Newest)
                {
                    table.AddRow(Markup.Escape(tag.Tag), tag.Configured ? "yes" : "", tag.Newer ? "[yellow]new[/]" : "");
                }
                context.Out.MarkupLine($"[bold]{Markup.Escape(image.Name)}[/] ({Markup.Escape(image.Upstream.Name)}): newest {result.Newest.Count} of {result.TotalTags} tags");
                context.Out.Write(table);
            }
            catch (Exception e) when (e is ImageSync.Registry.RegistryException or System.Text.Json.JsonException)
            {
                await context.Error.WriteLineAsync($"error: {image.Name}: {e.Message}").ConfigureAwait(false);
                failed = true;
            }
        }
        return failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    public static async Task<int> AutoUpdate(TargetContext context)
    {
        var loaded = await Targets.LoadAsync(context, derive: false).ConfigureAwait(false);
        if (!loaded.Succeeded)
        {
            return ExitCodes.Failure;
        }
        var p = context.Parameters;
        if (p.Get(ParameterTable.ImagesFile) is not null)
        {
            await context.Error.WriteLineAsync("error: AutoUpdate edits image-sync-config.json; the external-images.yaml format has no upstream samples to follow").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        var config = loaded.Config!;
        var token = context.Environment("GITHUB_TOKEN");
        try
        {
            var samples = UpstreamSamples(context, config.Samples);
            using var github = new GitHubSession(p.Get(ParameterTable.GitHubApiUrl), token, GitHubBounds(p));
            context.Out.WriteLine($"Reading {samples.Repository}@{samples.Ref} ({string.Join(", ", samples.Paths)}) from {p.Get(ParameterTable.GitHubApiUrl)}");
            var fetched = await github.Samples.FetchAsync(samples, context.CancellationToken).ConfigureAwait(false);
            var files = fetched.Files;
            foreach (var note in fetched.Notes)
            {
                context.Out.WriteLine($"note: {note}");
            }
            var configBytes = await File.ReadAllBytesAsync(p.Get(ParameterTable.Config), context.CancellationToken).ConfigureAwait(false);
            var root = Path.GetDirectoryName(Path.GetFullPath(p.Get(ParameterTable.Config)))!;
            var repositoryRoot = SamplesFolder.RepositoryFor(p.Get(ParameterTable.Config), p.Get(ParameterTable.Samples));
            var plan = AutoUpdatePlan.Create(config, p.Get(ParameterTable.Config), configBytes, fetched, p.Get(ParameterTable.Samples), p.Get(ParameterTable.FollowMoves), repositoryRoot);
            AutoUpdateReport.Write(context.Out, plan, files.Count);
            if (config.CheckNewTags && Targets.CreateSession(context, config) is { } session)
            {
                using (session)
                {
                    await ReportNewTagsAsync(context, config, session).ConfigureAwait(false);
                }
            }

            if (!plan.HasChanges)
            {
                context.Out.WriteLine("Nothing to update: the configuration and samples already use upstream's tags.");
                return ExitCodes.Success;
            }
            if (p.Get(ParameterTable.DryRun))
            {
                context.Out.WriteLine("Dry run: these changes would be written:");
                context.Out.Write(new Text(plan.Diff(root)));
                return ExitCodes.Success;
            }
            var options = new PublishOptions
            {
                Branch = p.Get(ParameterTable.Branch),
                BaseBranch = p.Get(ParameterTable.BaseBranch),
                // A pull request is a commit pushed: --pull-request implies --commit.
                Commit = p.Get(ParameterTable.Commit) || p.Get(ParameterTable.PullRequest),
                PullRequest = p.Get(ParameterTable.PullRequest),
                Author = p.Get(ParameterTable.GitAuthor) is { } a && GitAuthor.TryParse(a, out var parsed) ? parsed : null,
                Token = token,
                RepositorySlug = context.Environment("GITHUB_REPOSITORY") is { Length: > 0 } fromActions ? fromActions : null,
                GitHubWebBase = github.WebBase,
                Environment = context.Environment,
            };
            await new AutoUpdatePublisher(github.Client, context.Guard).PublishAsync(plan, samples, options,
                line => context.Out.WriteLine(line), context.CancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ImageSyncException or IOException or InvalidDataException or Octokit.ApiException or HttpRequestException or LibGit2Sharp.LibGit2SharpException)
        {
            await context.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// AutoUpdate, then SyncAll on the configuration it wrote, with one exception: an upstream move is only proposed
    /// (in the pull request), so until it is merged each moved image is still copied from the upstream it had. When
    /// AutoUpdate fails (GitHub unreachable, rate limited), the mirror still runs on the configuration as it stands,
    /// and the run exits 1.
    /// </summary>
    public static async Task<int> AutoSync(TargetContext context)
    {
        var before = await Targets.LoadAsync(context, quiet: true).ConfigureAwait(false);
        if (!before.Succeeded)
        {
            return ExitCodes.Failure;
        }
        var update = await AutoUpdate(context).ConfigureAwait(false);
        if (update != ExitCodes.Success)
        {
            await context.Error.WriteLineAsync("warning: AutoUpdate failed (see above); SyncAll still mirrors the configuration as it stands").ConfigureAwait(false);
        }
        context.Out.MarkupLine("[bold]> SyncAll[/]");
        var after = await Targets.LoadAsync(context, quiet: true).ConfigureAwait(false);
        var pending = PendingMoves.Apply(before.Config!, after.Config ?? before.Config!);
        foreach (var note in pending.Notes)
        {
            context.Out.WriteLine(note);
        }
        var sync = await SyncTargets.SyncAllAsync(context, pending.Config).ConfigureAwait(false);
        context.Out.WriteLine($"AutoSync: AutoUpdate {(update == ExitCodes.Success ? "succeeded" : "failed")}, SyncAll {(sync == ExitCodes.Success ? "succeeded" : sync == ExitCodes.NotInSync ? "left tags not in sync" : "failed")}");
        return update != ExitCodes.Success ? ExitCodes.Failure : sync;
    }

    /// <summary>The repository and ref to read (Upstream/UpstreamRef: the command line, then UPDATE_BRANCH, then the configuration).</summary>
    internal static UpstreamSampleSource UpstreamSamples(TargetContext context, UpstreamSampleSource configured) =>
        UpstreamRef.Resolve(configured, context.Get(ParameterTable.UpstreamRepo), context.Get(ParameterTable.UpstreamRef), context.Environment("UPDATE_BRANCH"));

    /// <summary>The run's --retries and --timeout, for GitHub's requests as for the registries'.</summary>
    internal static ImageSync.Registry.Http.TransportSettings GitHubBounds(BuildParameters p) => new()
    {
        Retry = ImageSync.Registry.Http.RetryPolicy.Default with { MaxRetries = p.Get(ParameterTable.Retries) },
        Timeouts = ImageSync.Registry.Http.Timeouts.FromSeconds(p.Get(ParameterTable.Timeout)),
    };

    /// <summary>With check_new_tags: which upstream tags are newer than the configured ones.</summary>
    internal static async Task ReportNewTagsAsync(TargetContext context, SyncConfig config, RegistrySession session)
    {
        var discovery = new TagDiscovery(session.Client);
        foreach (var image in config.Images)
        {
            try
            {
                var result = await discovery.DiscoverAsync(image, config.MaxTagsToCheck, context.CancellationToken).ConfigureAwait(false);
                var fresh = result.NewTags.Select(t => t.Tag).ToList();
                if (fresh.Count > 0)
                {
                    context.Out.WriteLine($"new upstream tags for {image.Name}: {string.Join(", ", fresh)}");
                }
            }
            catch (ImageSync.Registry.RegistryException e)
            {
                await context.Error.WriteLineAsync($"warning: new tags of {image.Name}: {e.Message}").ConfigureAwait(false);
            }
        }
    }
}
