namespace ImageSync.Git;

/// <summary>The pull request that proposes a change: opened once, then updated by later runs.</summary>
public sealed record PullRequestResult(int Number, string Url, bool Created);
