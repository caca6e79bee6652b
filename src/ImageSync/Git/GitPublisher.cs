using LibGit2Sharp;

namespace ImageSync.Git;

/// <summary>Who commits: from --git-author, else the repository's git config, else the Actions bot.</summary>
public sealed record GitAuthor(string Name, string Email)
{
    public static readonly GitAuthor ActionsBot = new("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com");

    /// <summary>Parses <c>Name &lt;email&gt;</c>.</summary>
    public static bool TryParse(string text, out GitAuthor? author)
    {
        author = null;
        var open = text.LastIndexOf('<');
        if (open <= 0 || !text.EndsWith('>') || text[(open + 1)..^1].Trim() is not { Length: > 0 } email || !email.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }
        author = new GitAuthor(text[..open].Trim(), email);
        return author.Name.Length > 0;
    }
}

/// <summary>
/// Commits the rewritten files on a branch and pushes it with LibGit2Sharp. The branch starts at the current HEAD;
/// the working tree's changes move onto it, as <c>git checkout -B</c> would.
/// </summary>
public sealed class GitPublisher(string repositoryPath)
{
    public static string? FindRepository(string startPath)
    {
        if (Repository.Discover(startPath) is not { } gitDir)
        {
            return null;
        }
        using var repo = new Repository(gitDir);
        return repo.Info.WorkingDirectory;
    }

    /// <returns>The commit's id.</returns>
    public string Commit(string branchName, IReadOnlyList<string> files, string message, GitAuthor? author)
    {
        using var repo = new Repository(repositoryPath);
        if (repo.Head.Tip is null)
        {
            throw new InvalidOperationException($"{repositoryPath} has no commits yet; commit something first");
        }
        var branch = repo.Branches[branchName];
        if (branch is null)
        {
            branch = repo.CreateBranch(branchName);
        }
        else if (!branch.IsCurrentRepositoryHead)
        {
            // A bot branch left from an earlier run: start it again from here, so the pull request shows only this change.
            repo.Refs.UpdateTarget(branch.Reference, repo.Head.Tip.Id, "imagesync: reset to HEAD");
        }
        if (!branch.IsCurrentRepositoryHead)
        {
            Commands.Checkout(repo, repo.Branches[branchName], new CheckoutOptions { CheckoutModifiers = CheckoutModifiers.None });
        }
        foreach (var file in files)
        {
            Commands.Stage(repo, Path.GetRelativePath(repo.Info.WorkingDirectory, Path.GetFullPath(file)));
        }
        var who = author ?? (repo.Config.BuildSignature(DateTimeOffset.Now) is { } configured ? new GitAuthor(configured.Name, configured.Email) : GitAuthor.ActionsBot);
        var signature = new Signature(who.Name, who.Email, DateTimeOffset.Now);
        return repo.Commit(message, signature, signature).Sha;
    }

    /// <summary>Force-pushes the branch to origin: it belongs to the bot and is rebuilt from HEAD each run.</summary>
    public void Push(string branchName, string? token)
    {
        using var repo = new Repository(repositoryPath);
        var origin = repo.Network.Remotes["origin"] ?? throw new InvalidOperationException("the repository has no remote named origin");
        var options = new PushOptions();
        if (!string.IsNullOrEmpty(token))
        {
            options.CredentialsProvider = (_, _, _) => new UsernamePasswordCredentials { Username = "x-access-token", Password = token };
        }
        try
        {
            repo.Network.Push(origin, $"+refs/heads/{branchName}:refs/heads/{branchName}", options);
        }
        catch (LibGit2SharpException e)
        {
            throw new InvalidOperationException($"pushing {branchName} to origin failed: {e.Message}");
        }
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
