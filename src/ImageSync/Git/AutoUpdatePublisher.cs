using ImageSync.Errors;
using ImageSync.Config;
using ImageSync.Output;
using ImageSync.Reporting;
using ImageSync.AutoUpdate;
using Octokit;

namespace ImageSync.Git;

/// <summary>
/// AutoUpdate's last steps, in order: check the branch, write the files, commit on the bot branch, push it, open or
/// update the pull request. The branch is checked before anything is written, so a refused one changes nothing.
/// Commit message and pull request text pass the run's <see cref="OutputGuard"/>.
/// </summary>
public sealed class AutoUpdatePublisher(IGitHubClient github, OutputGuard guard)
{
    public async Task<PublishResult> PublishAsync(AutoUpdatePlan plan, UpstreamSampleSource samples, PublishOptions options, Action<string> say, CancellationToken cancellationToken)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(plan.ConfigPath))!;
        GitPublisher? git = null;
        BotBranch? branch = null;
        string? slug = null;
        string? baseBranch = options.BaseBranch;
        if (options.Commit || options.PullRequest)
        {
            var repositoryPath = GitPublisher.FindRepository(root) ?? throw new ImageSyncException($"{root} is not inside a git repository; --commit needs one");
            git = new GitPublisher(repositoryPath, options.Environment);
            var reserved = new List<(string, string)>();
            if (options.BaseBranch is { } given)
            {
                reserved.Add((given, "the pull request's base"));
            }
            if (git.RemoteDefaultBranch() is { } remoteDefault)
            {
                reserved.Add((remoteDefault, "origin's default branch"));
            }
            if (options.PullRequest)
            {
                slug = options.RepositorySlug ?? GitPublisher.RepositorySlug(git.OriginUrl())
                    ?? throw new ImageSyncException("cannot tell the GitHub repository: set GITHUB_REPOSITORY=OWNER/NAME");
                if (!Upstream.GitHubNames.IsRepository(slug, out var slugError))
                {
                    throw new ImageSyncException($"the pull request's repository (GITHUB_REPOSITORY, else origin): {slugError}");
                }
                var (defaultBranch, onGitHub) = await new PullRequests(github).ReservedBranchesAsync(slug, options.Branch, cancellationToken).ConfigureAwait(false);
                reserved.AddRange(onGitHub);
                baseBranch ??= defaultBranch;
            }
            branch = BotBranch.For(options.Branch, reserved);
        }

        var written = plan.Apply();
        foreach (var path in written)
        {
            say($"updated {Path.GetRelativePath(root, path)}");
        }
        if (git is null || branch is null)
        {
            return new PublishResult(written, null, null);
        }
        var sha = git.Commit(branch, written, guard.Clean(AutoUpdateReport.CommitMessage(plan, samples)), options.Author);
        say($"committed {sha[..12]} on {branch}");
        if (!options.PullRequest)
        {
            return new PublishResult(written, sha, null);
        }
        git.Push(branch, options.Token, options.GitHubWebBase);
        say($"pushed {branch} to origin");
        // origin may be a fork of the repository that gets the pull request: the branch is then the fork owner's.
        var owner = slug!.Split('/')[0];
        var originOwner = GitPublisher.RepositorySlug(git.OriginUrl())?.Split('/')[0];
        var headOwner = originOwner is not null && !originOwner.Equals(owner, StringComparison.OrdinalIgnoreCase) ? originOwner : owner;
        var pr = await new PullRequests(github).OpenOrUpdateAsync(slug, headOwner, branch.Name, baseBranch!,
            guard.Clean(AutoUpdateReport.Title(plan)), guard.Clean(AutoUpdateReport.PullRequestBody(plan, samples)), cancellationToken).ConfigureAwait(false);
        say($"{(pr.Created ? "opened" : "updated")} pull request #{pr.Number}: {pr.Url}");
        return new PublishResult(written, sha, pr);
    }
}
