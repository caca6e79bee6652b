namespace ImageSync.Config;

/// <summary>
/// Where AutoUpdate reads upstream's sample manifests: a GitHub repository, a ref (branch, tag or commit) and the
/// paths (files, or folders ending in /) to read. <paramref name="Files"/> maps vendored copies of ours to their
/// upstream paths (<c>upstream_samples.files</c>); none when the section leaves it out.
/// </summary>
public sealed record UpstreamSampleSource(string Repository, string Ref, IReadOnlyList<string> Paths, IReadOnlyList<VendoredFile>? Files = null)
{
    public IReadOnlyList<VendoredFile> VendoredFiles => Files ?? [];

    public static UpstreamSampleSource Default { get; } = new("istio/istio", "master", ["samples/"]);
}
