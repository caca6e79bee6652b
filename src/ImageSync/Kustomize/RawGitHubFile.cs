using ImageSync.Config;

namespace ImageSync.Kustomize;

/// <summary>
/// A resource given as a raw GitHub URL, <c>https://raw.githubusercontent.com/OWNER/NAME/REF/PATH</c>, the form
/// sail-operator's kustomizations used until April 2026. Only the configured upstream repository is read, through
/// the one tarball request per ref (GitHubSampleReader); the ref is the first segment after the repository, as in
/// sail-operator's URLs (a ref with a '/' cannot be told from its path in this form).
/// </summary>
public sealed record RawGitHubFile(string Repository, string Ref, string Path)
{
    private const string Prefix = "https://raw.githubusercontent.com/";

    /// <exception cref="KustomizeException">Any other URL: another host, another repository, a git URL or a remote folder.</exception>
    public static RawGitHubFile Parse(KustomizationResource resource, UpstreamSampleSource upstream)
    {
        var url = resource.Value;
        var parts = url.StartsWith(Prefix, StringComparison.Ordinal) && !url.Contains('?', StringComparison.Ordinal) && !url.Contains('#', StringComparison.Ordinal)
            ? url[Prefix.Length..].Split('/', 4)
            : [];
        if (parts.Length == 4 && $"{parts[0]}/{parts[1]}".Equals(upstream.Repository, StringComparison.OrdinalIgnoreCase)
            && Upstream.GitHubNames.IsRefName(parts[2], out _) && JsonValues.IsRelativePath(parts[3]) && !parts[3].EndsWith('/'))
        {
            return new RawGitHubFile(upstream.Repository, parts[2], parts[3]);
        }
        throw new KustomizeException(resource.Position,
            $"resource {Output.Untrusted.Line(url, 120)}: imagesync reads a URL only as a raw GitHub file of upstream_samples.repository ({upstream.Repository}): {Prefix}{upstream.Repository}/REF/PATH; vendor the file, or name it so");
    }

    public override string ToString() => $"{Prefix}{Repository}/{Ref}/{Path}";
}
