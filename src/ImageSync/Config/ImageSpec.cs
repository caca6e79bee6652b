using ImageSync.References;

namespace ImageSync.Config;

/// <summary>
/// One upstream repository mirrored into one target repository.
/// <paramref name="Platforms"/> null means every platform of the source index. <paramref name="Origins"/>: for an image
/// derived from kustomizations, each kustomization and resource line it came from. <paramref name="Verify"/>: the
/// signatures a tag's upstream digest must carry before it is written (null: none required). <paramref name="Signatures"/>:
/// whether attached artifacts are copied, and followed on in-sync tags; <paramref name="ArtifactTypes"/>: the OCI
/// referrers to copy, by artifactType (null: all). <paramref name="Backup"/>: the tag a mutable
/// tag's old digest is kept under before a run moves it (null: none kept). <paramref name="Sign"/>:
/// the mirror signs each tag it writes with this key (null: it does not sign). <paramref name="Rules"/>: which of
/// upstream's tags to mirror besides <paramref name="Tags"/> (<c>tag_rules</c>, <c>"tags": "*"</c>), picked from
/// upstream's tag list at run time (Selection/TagRuleExpansion).
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
    SignaturesMode Signatures = SignaturesMode.Copy,
    IReadOnlyList<string>? ArtifactTypes = null,
    BackupTemplate? Backup = null,
    Signing.SigningPolicy? Sign = null,
    Selection.TagRules? Rules = null)
{
    /// <summary>Derived from kustomizations (<see cref="Origins"/> says where), not written in the configuration.</summary>
    public bool IsDerived => Origins is not null;

    public string PolicyDescription => ImmutableTags ? "immutable" : Backup is { } backup ? $"mutable, backup {backup.Text}" : "mutable";

    public string PlatformsDescription => Platforms is null ? "all" : string.Join(",", Platforms);
}
