using LibGit2Sharp;

namespace ImageSync.Tests.Support;

/// <summary>
/// A real git repository in a temp folder, laid out like ours (image-sync-config.json, samples/), with a bare
/// repository as its origin so pushes land somewhere a test can look.
/// </summary>
internal sealed class DownstreamRepo : IDisposable
{
    public DownstreamRepo()
    {
        Root = Directory.CreateTempSubdirectory("imagesync-repo-").FullName;
        Path = System.IO.Path.Combine(Root, "work");
        Origin = System.IO.Path.Combine(Root, "origin.git");
        Repository.Init(Origin, isBare: true);
        Repository.Init(Path);
        using var repo = new Repository(Path);
        repo.Network.Remotes.Add("origin", Origin);
    }

    public string Root { get; }

    public string Path { get; }

    public string Origin { get; }

    public string ConfigPath => System.IO.Path.Combine(Path, "image-sync-config.json");

    public string SamplesPath => System.IO.Path.Combine(Path, "samples");

    public void Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    /// <summary>Commits everything on main, as the project's history before AutoUpdate runs.</summary>
    public string CommitAll(string message)
    {
        using var repo = new Repository(Path);
        Commands.Stage(repo, "*");
        var signature = new Signature("Test", "test@example.com", DateTimeOffset.UtcNow);
        var commit = repo.Commit(message, signature, signature);
        if (repo.Head.FriendlyName != "main")
        {
            var main = repo.Branches["main"] ?? repo.CreateBranch("main");
            Commands.Checkout(repo, main);
        }
        return commit.Sha;
    }

    public void Checkout(string branch)
    {
        using var repo = new Repository(Path);
        Commands.Checkout(repo, repo.Branches[branch], new CheckoutOptions { CheckoutModifiers = CheckoutModifiers.Force });
    }

    public Repository Open() => new(Path);

    public Repository OpenOrigin() => new(Origin);

    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }
        Directory.Delete(Root, recursive: true);
    }
}
