using ImageSync.Errors;
using Octokit;

namespace ImageSync.Git;

public sealed class PullRequests(IGitHubClient client)
{
    /// <summary>
    /// Branches the bot must never push to, as GitHub sees them: the repository's default branch, and
    /// <paramref name="branch"/> itself when it is protected.
    /// </summary>
    public async Task<(string DefaultBranch, IReadOnlyList<(string Name, string Why)> Reserved)> ReservedBranchesAsync(string repositorySlug, string branch, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repositorySlug);
        var reserved = new List<(string, string)>();
        string defaultBranch;
        try
        {
            var repository = await client.Repository.Get(owner, name).WaitAsync(cancellationToken).ConfigureAwait(false);
            defaultBranch = repository.DefaultBranch;
            reserved.Add((defaultBranch, $"the default branch of {repositorySlug}"));
            try
            {
                var existing = await client.Repository.Branch.Get(owner, name, branch).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (existing.Protected)
                {
                    reserved.Add((branch, $"a protected branch of {repositorySlug}"));
                }
            }
            catch (NotFoundException)
            {
                // The bot branch does not exist yet: nothing protects it.
            }
        }
        catch (ApiException e)
        {
            throw new ImageSyncException($"{repositorySlug}: when asked about its branches, {Describe(e)}");
        }
        return (defaultBranch, reserved);
    }

    private static string Describe(ApiException e) => e is RateLimitExceededException limit
        ? Upstream.GitHubRateLimit.UsedUp(limit.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), limit.Reset, authenticated: true)
        : $"GitHub answered {(int)e.StatusCode}: {Output.Untrusted.Line(e.Message)}";

    private static (string Owner, string Name) Split(string repositorySlug) =>
        repositorySlug.Split('/') is [var o, var n] ? (o, n) : throw new ImageSyncException($"\"{repositorySlug}\" is not OWNER/NAME");

    /// <param name="baseBranch">The branch the pull request targets (the caller knows the default one from <see cref="ReservedBranchesAsync"/>).</param>
    /// <param name="headOwner">Who owns the pushed branch: the repository's owner, or a fork's when origin is a fork.</param>
    public async Task<PullRequestResult> OpenOrUpdateAsync(string repositorySlug, string headOwner, string branch, string baseBranch, string title, string body, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repositorySlug);
        try
        {
            var open = await client.PullRequest.GetAllForRepository(owner, name, new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{headOwner}:{branch}" })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            if (open.FirstOrDefault(pr => pr.Head?.Ref == branch) is { } existing)
            {
                var updated = await client.PullRequest.Update(owner, name, existing.Number, new PullRequestUpdate { Title = title, Body = body })
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
                return new PullRequestResult(updated.Number, updated.HtmlUrl, false);
            }
            var created = await client.PullRequest.Create(owner, name, new NewPullRequest(title, headOwner == owner ? branch : $"{headOwner}:{branch}", baseBranch) { Body = body })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return new PullRequestResult(created.Number, created.HtmlUrl, true);
        }
        catch (ApiException e)
        {
            var hint = e.StatusCode == System.Net.HttpStatusCode.Forbidden
                ? " (with the workflow's GITHUB_TOKEN, allow it under Settings > Actions > General > \"Allow GitHub Actions to create and approve pull requests\", and give the job permissions: pull-requests: write)"
                : "";
            throw new ImageSyncException($"pull request on {repositorySlug}: {Describe(e)}{(e is RateLimitExceededException ? "" : hint)}");
        }
    }
}
