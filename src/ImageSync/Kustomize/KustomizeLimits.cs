namespace ImageSync.Kustomize;

/// <summary>
/// How much of the repository a derivation reads, bounded as upstream input is (GitHubSampleReader): each file at most
/// 4 MiB, all of them at most 64 MiB, at most 10,000 files, kustomizations nested at most 32 deep. Each file is also
/// read through BoundedYaml (nesting depth, alias expansion).
/// </summary>
public static class KustomizeLimits
{
    public const long MaxFileBytes = Upstream.GitHubSampleReader.MaxFileBytes;
    public const long MaxTotalBytes = Upstream.GitHubSampleReader.MaxTotalBytes;
    public const int MaxFiles = 10_000;
    public const int MaxDepth = 32;
}
