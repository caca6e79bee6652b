namespace ImageSync.Git;

public sealed record PublishResult(IReadOnlyList<string> Written, string? CommitSha, PullRequestResult? PullRequest);
