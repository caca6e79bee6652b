using ImageSync.Errors;
using LibGit2Sharp;

namespace ImageSync.Git;

/// <summary>
/// Commits the rewritten files on a branch and pushes it with LibGit2Sharp. The branch starts at the current HEAD;
/// the working tree's changes move onto it, as <c>git checkout -B</c> would.
/// </summary>
/// <param name="environment">Where HOME and XDG_CONFIG_HOME are read, for the user's git configuration.</param>
public sealed class GitPublisher(string repositoryPath, Func<string, string?> environment)
{
    /// <summary>
    /// The working tree that holds <paramref name="startPath"/>, walking up as git does. Not
    /// <c>Repository.Discover</c>: it returns its answer in a buffer that the ahead-of-time compiled tool's marshalling
    /// does not copy back, so there it never finds a repository.
    /// </summary>
    public static string? FindRepository(string startPath)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(startPath)); dir is not null; dir = dir.Parent)
        {
            if (Repository.IsValid(dir.FullName))
            {
                using var repo = new Repository(dir.FullName);
                return repo.Info.WorkingDirectory;
            }
        }
        return null;
    }

    /// <returns>The commit's id.</returns>
    public string Commit(BotBranch branch, IReadOnlyList<string> files, string message, GitAuthor? author)
    {
        var branchName = branch.Name;
        using var repo = new Repository(repositoryPath);
        if (repo.Head.Tip is null)
        {
            throw new ImageSyncException($"{repositoryPath} has no commits yet; commit something first");
        }
        var local = repo.Branches[branchName];
        if (local is null)
        {
            local = repo.CreateBranch(branchName);
        }
        else if (!local.IsCurrentRepositoryHead)
        {
            // A bot branch left from an earlier run: start it again from here, so the pull request shows only this change.
            repo.Refs.UpdateTarget(local.Reference, repo.Head.Tip.Id, "imagesync: reset to HEAD");
        }
        if (!local.IsCurrentRepositoryHead)
        {
            Commands.Checkout(repo, repo.Branches[branchName], new CheckoutOptions { CheckoutModifiers = CheckoutModifiers.None });
        }
        foreach (var file in files)
        {
            Commands.Stage(repo, Path.GetRelativePath(repo.Info.WorkingDirectory, Path.GetFullPath(file)));
        }
        using var config = GitConfigFiles.Open(repo, environment);
        var who = author ?? (config.BuildSignature(DateTimeOffset.Now) is { } configured ? new GitAuthor(configured.Name, configured.Email) : GitAuthor.ActionsBot);
        var signature = new Signature(who.Name, who.Email, DateTimeOffset.Now);
        // Not LibGit2Sharp's prettifying: compiled ahead of time it returns an empty message. Ours is generated, so
        // ending it with one newline is all git's cleanup would do.
        return repo.Commit(message.TrimEnd() + "\n", signature, signature, new CommitOptions { PrettifyMessage = false }).Sha;
    }

    /// <summary>
    /// Force-pushes the bot branch to origin (it is rebuilt from HEAD each run; <see cref="BotBranch"/> has already
    /// refused any other). The token is given only when git asks for credentials for origin's own host and port,
    /// and only when that host is the GitHub host the API belongs to: never to a host a redirect leads to, never to
    /// a non-GitHub origin.
    /// </summary>
    public void Push(BotBranch branch, string? token, Uri gitHubWebBase)
    {
        using var repo = new Repository(repositoryPath);
        var origin = repo.Network.Remotes["origin"] ?? throw new ImageSyncException("the repository has no remote named origin");
        var options = new PushOptions();
        string? refused = null;
        if (!string.IsNullOrEmpty(token))
        {
            options.CredentialsProvider = (url, _, _) =>
            {
                if (TokenMayGoTo(url, origin.PushUrl ?? origin.Url, gitHubWebBase))
                {
                    return new UsernamePasswordCredentials { Username = "x-access-token", Password = token };
                }
                refused = Uri.TryCreate(url, UriKind.Absolute, out var asked) ? asked.Authority : "another address";
                return new UsernamePasswordCredentials { Username = "x-access-token", Password = "" };
            };
        }
        try
        {
            repo.Network.Push(origin, $"+refs/heads/{branch.Name}:refs/heads/{branch.Name}", options);
        }
        catch (LibGit2SharpException e)
        {
            throw new ImageSyncException(refused is not null
                ? $"pushing {branch.Name}: git asked for credentials for {refused}, which is not origin's GitHub host; GITHUB_TOKEN was not sent"
                : $"pushing {branch.Name} to origin failed: {Output.Untrusted.Line(e.Message)}");
        }
    }

    internal static bool TokenMayGoTo(string? askedUrl, string? originUrl, Uri gitHubWebBase)
    {
        if (!Uri.TryCreate(askedUrl, UriKind.Absolute, out var asked) || !Uri.TryCreate(originUrl, UriKind.Absolute, out var origin))
        {
            return false;
        }
        // Plain http only where origin itself is plain http (an Enterprise server without TLS, a test).
        return asked.Scheme == origin.Scheme && asked.Scheme is "https" or "http"
            && asked.Authority.Equals(origin.Authority, StringComparison.OrdinalIgnoreCase)
            && origin.Host.Equals(gitHubWebBase.Host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The branch origin's HEAD names (the remote's default branch), when the clone knows it.</summary>
    public string? RemoteDefaultBranch()
    {
        using var repo = new Repository(repositoryPath);
        return repo.Refs["refs/remotes/origin/HEAD"] is SymbolicReference { Target.CanonicalName: var target }
            && target.StartsWith("refs/remotes/origin/", StringComparison.Ordinal) ? target["refs/remotes/origin/".Length..] : null;
    }

    public string? OriginUrl()
    {
        using var repo = new Repository(repositoryPath);
        return repo.Network.Remotes["origin"]?.Url;
    }

    /// <summary>OWNER/NAME from an origin URL: https://host/owner/name(.git), git@host:owner/name(.git), ssh://...</summary>
    public static string? RepositorySlug(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }
        var path = url;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" or "git")
        {
            path = uri.AbsolutePath;
        }
        else if (url.Contains('@', StringComparison.Ordinal) && url.Contains(':', StringComparison.Ordinal))
        {
            path = url[(url.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }
        else
        {
            return null;
        }
        var parts = path.Trim('/').Split('/');
        if (parts.Length < 2)
        {
            return null;
        }
        var name = parts[^1].EndsWith(".git", StringComparison.Ordinal) ? parts[^1][..^4] : parts[^1];
        return $"{parts[^2]}/{name}";
    }
}
