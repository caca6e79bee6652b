namespace ImageSync.Git;

/// <summary>What AutoUpdate is asked to do after planning: write only, commit, or also push and open a pull request.</summary>
public sealed record PublishOptions
{
    public required string Branch { get; init; }
    public string? BaseBranch { get; init; }
    public bool Commit { get; init; }
    public bool PullRequest { get; init; }
    public GitAuthor? Author { get; init; }
    public string? Token { get; init; }

    /// <summary>OWNER/NAME of the pull request's repository (GITHUB_REPOSITORY); else read from origin's URL.</summary>
    public string? RepositorySlug { get; init; }

    public required Uri GitHubWebBase { get; init; }

    /// <summary>The run's environment (HOME, for the committer in the user's git configuration).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
}
