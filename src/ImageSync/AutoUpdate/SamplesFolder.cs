using ImageSync.Errors;
using ImageSync.Git;

namespace ImageSync.AutoUpdate;

/// <summary>Where AutoUpdate may rewrite samples: only a folder inside the repository that holds the configuration.</summary>
public static class SamplesFolder
{
    /// <summary>The repository holding <paramref name="configPath"/> (its folder when it is in none).</summary>
    /// <exception cref="ImageSyncException"><paramref name="samples"/> exists and resolves outside that repository.</exception>
    public static string RepositoryFor(string configPath, string samples)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        var repository = GitPublisher.FindRepository(root) ?? root;
        if (Directory.Exists(samples) && !WorkTree.IsInside(repository, samples))
        {
            throw new ImageSyncException($"--samples {samples} resolves to {WorkTree.RealPath(samples)}, outside the repository {repository}; AutoUpdate rewrites only files inside it");
        }
        return repository;
    }
}
