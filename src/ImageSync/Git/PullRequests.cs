using Octokit;

namespace ImageSync.Git;

/// <summary>The pull request that proposes a change: opened once, then updated by later runs.</summary>
public sealed record PullRequestResult(int Number, string Url, bool Created);

public sealed class PullRequests(IGitHubClient client)
{
    public async Task<PullRequestResult> OpenOrUpdateAsync(string repositorySlug, string branch, string? baseBranch, string title, string body, CancellationToken cancellationToken)
    {
        var (owner, name) = repositorySlug.Split('/') is [var o, var n] ? (o, n) : throw new InvalidOperationException($"\"{repositorySlug}\" is not OWNER/NAME");
        try
        {
            var open = await client.PullRequest.GetAllForRepository(owner, name, new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{owner}:{branch}" })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            if (open.FirstOrDefault(pr => pr.Head?.Ref == branch) is { } existing)
            {
                var updated = await client.PullRequest.Update(owner, name, existing.Number, new PullRequestUpdate { Title = title, Body = body })
                    .WaitAsync(cancellationToken).ConfigureAwait(false);
                return new PullRequestResult(updated.Number, updated.HtmlUrl, false);
            }
            baseBranch ??= (await client.Repository.Get(owner, name).WaitAsync(cancellationToken).ConfigureAwait(false)).DefaultBranch;
            var created = await client.PullRequest.Create(owner, name, new NewPullRequest(title, branch, baseBranch) { Body = body })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return new PullRequestResult(created.Number, created.HtmlUrl, true);
        }
        catch (ApiException e)
        {
            throw new InvalidOperationException($"pull request on {repositorySlug}: GitHub answered {(int)e.StatusCode}: {e.Message}");
        }
    }
}
