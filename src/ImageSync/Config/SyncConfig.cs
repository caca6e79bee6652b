using ImageSync.References;

namespace ImageSync.Config;

/// <summary>
/// What to keep in sync, whichever file format it came from. Nothing downstream knows the format.
/// <paramref name="SyncerTargetRegistry"/> is the one registry that SYNCER_ACCESS_TOKEN and SYNCER_TARGET_REPO_AUTH_KEY
/// log in to: the target prefix's registry of an external-images run (none for the JSON format).
/// <paramref name="TrustedUpstreams"/> bounds where a followed upstream move may point (null: anywhere).
/// <paramref name="Kustomize"/> names kustomizations whose images join <paramref name="Images"/> when they are derived.
/// </summary>
public sealed record SyncConfig(
    string Path,
    IReadOnlyList<ImageSpec> Images,
    bool CheckNewTags,
    int MaxTagsToCheck,
    IReadOnlyDictionary<string, RegistryEndpoint> Registries,
    UpstreamSampleSource? UpstreamSampleSource = null,
    string? SyncerTargetRegistry = null,
    IReadOnlyList<string>? TrustedUpstreams = null,
    KustomizeSettings? Kustomize = null)
{
    public const int DefaultMaxTagsToCheck = 10;

    public UpstreamSampleSource Samples => UpstreamSampleSource ?? UpstreamSampleSource.Default;

    public ImageSpec? FindImage(string name) => Images.FirstOrDefault(i => i.Name == name);

    /// <summary>Whether a followed move may point at <paramref name="upstream"/>: anywhere without trusted_upstreams.</summary>
    public bool IsTrustedUpstream(Reference upstream) =>
        TrustedUpstreams is null || TrustedUpstreams.Any(t =>
            t == upstream.Registry || t == upstream.Name || upstream.Name.StartsWith(t + "/", StringComparison.Ordinal));
}
