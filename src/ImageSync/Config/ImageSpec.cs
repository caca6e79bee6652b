using ImageSync.References;

namespace ImageSync.Config;

/// <summary>
/// One upstream repository mirrored into one target repository.
/// <paramref name="Platforms"/> null means every platform of the source index. <paramref name="Origins"/>: for an image
/// derived from kustomizations, each kustomization and resource line it came from. <paramref name="Verify"/>: the
/// signatures a tag's upstream digest must carry before it is written (null: none required). <paramref name="Sign"/>:
/// the mirror signs each tag it writes with this key (null: it does not sign).
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
    string? SamplePath = null,
    IReadOnlyList<string>? Origins = null,
    Verification.SignaturePolicy? Verify = null,
    Signing.SigningPolicy? Sign = null)
{
    /// <summary>Derived from kustomizations (<see cref="Origins"/> says where), not written in the configuration.</summary>
    public bool IsDerived => Origins is not null;

    public string PolicyDescription => ImmutableTags ? "immutable" : "mutable";

    public string PlatformsDescription => Platforms is null ? "all" : string.Join(",", Platforms);
}
