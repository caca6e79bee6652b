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
    UpstreamSamples? UpstreamSamples = null,
    string? SyncerTargetRegistry = null,
    IReadOnlyList<string>? TrustedUpstreams = null,
    KustomizeSettings? Kustomize = null)
{
    public const int DefaultMaxTagsToCheck = 10;

    public UpstreamSamples Samples => UpstreamSamples ?? UpstreamSamples.Default;

    public ImageSpec? FindImage(string name) => Images.FirstOrDefault(i => i.Name == name);

    /// <summary>Whether a followed move may point at <paramref name="upstream"/>: anywhere without trusted_upstreams.</summary>
    public bool IsTrustedUpstream(Reference upstream) =>
        TrustedUpstreams is null || TrustedUpstreams.Any(t =>
            t == upstream.Registry || t == upstream.Name || upstream.Name.StartsWith(t + "/", StringComparison.Ordinal));
}

/// <summary>
/// One upstream repository mirrored into one target repository.
/// <paramref name="Platforms"/> null means every platform of the source index. <paramref name="Origins"/>: for an image
/// derived from kustomizations, each kustomization and resource line it came from. <paramref name="Verify"/>: the
/// signatures a tag's upstream digest must carry before it is written (null: none required).
/// </summary>
public sealed record ImageSpec(
    string Name,
    Reference Upstream,
    Reference Target,
    IReadOnlyList<TagSpec> Tags,
    IReadOnlyList<Platform>? Platforms,
    IReadOnlyList<Platform> RequiredPlatforms,
    bool ImmutableTags,
    FieldPositions Positions,
    string? Sample = null,
    IReadOnlyList<string>? Origins = null,
    Verification.SignaturePolicy? Verify = null)
{
    /// <summary>Derived from kustomizations (<see cref="Origins"/> says where), not written in the configuration.</summary>
    public bool IsDerived => Origins is not null;

    public string PolicyDescription => ImmutableTags ? "immutable" : "mutable";

    public string PlatformsDescription => Platforms is null ? "all" : string.Join(",", Platforms);
}

/// <summary>
/// Where AutoUpdate reads upstream's sample manifests: a GitHub repository, a ref (branch, tag or commit) and the
/// paths (files, or folders ending in /) to read. <paramref name="Files"/> maps vendored copies of ours to their
/// upstream paths (<c>upstream_samples.files</c>); none when the section leaves it out.
/// </summary>
public sealed record UpstreamSamples(string Repository, string Ref, IReadOnlyList<string> Paths, IReadOnlyList<VendoredFile>? Files = null)
{
    public IReadOnlyList<VendoredFile> VendoredFiles => Files ?? [];

    public static UpstreamSamples Default { get; } = new("istio/istio", "master", ["samples/"]);
}

/// <summary>
/// One tag to keep: <paramref name="Source"/> is the upstream tag or digest, <paramref name="Target"/> the tag it is
/// written to. They differ when the source is a digest or the external-images format retags.
/// </summary>
public sealed record TagSpec(string Source, string Target, SourcePosition Position)
{
    // The one gate every tag passes before any request, whatever gave it (a config file, --tag, IMAGE_SYNC_TAG, the
    // parameters file): a tag goes into request paths that carry push credentials, so "../" or "/" must never reach one.
    public string Source { get; init; } = Source.Contains(':', StringComparison.Ordinal)
        ? Digest.TryParse(Source, out _, out var error) ? Source : throw new Errors.ImageSyncException($"{Position}: {error}")
        : Checked(Source, Position);

    public string Target { get; init; } = Checked(Target, Position);

    private static string Checked(string tag, SourcePosition position) =>
        Reference.IsTag(tag, out var error) ? tag : throw new Errors.ImageSyncException($"{position}: {error}");

    public bool SourceIsDigest => Source.Contains(':', StringComparison.Ordinal);

    public Reference SourceReference(Reference upstream) =>
        SourceIsDigest ? upstream.WithDigest(Digest.Parse(Source)) : upstream.WithTag(Source);

    public override string ToString() => Source == Target ? Target : $"{Source}->{Target}";
}

/// <summary>
/// The positions of an image entry and its fields, for messages found after loading. A format without a name or
/// target field (external-images derives both from <c>source</c>) names the field they came from instead.
/// </summary>
public sealed record FieldPositions(string Path, SourcePosition Entry, IReadOnlyDictionary<string, SourcePosition> Fields, string NameField = "name", string TargetField = "target")
{
    public SourcePosition Of(string field) => Fields.TryGetValue(field, out var p) ? p : Entry;
}

/// <summary>
/// Where a registry name is reached and how to log in. Credentials are named by environment variable so that
/// the file itself never holds a secret. <paramref name="SendStoredCredentialsTo"/> is the one endpoint, other than
/// the name's own host, that the logins Docker or Podman stored for the name may be sent to (null: none).
/// </summary>
public sealed record RegistryEndpoint(string Name, Uri? Url, string? UsernameEnv, string? PasswordEnv, bool Insecure, Uri? SendStoredCredentialsTo = null);
