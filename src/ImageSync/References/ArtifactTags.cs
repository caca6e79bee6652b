namespace ImageSync.References;

/// <summary>
/// Tags named after the digest they describe: cosign's signature, attestation and SBOM tags
/// (<c>sha256-HEX.sig</c>, <c>.att</c>, <c>.sbom</c>) and the OCI 1.1 referrers fallback tag (<c>sha256-HEX</c>,
/// no suffix), which registries without the referrers API (distribution 2.8) use to list a digest's referrers.
/// They are artefacts of an image, never releases of their own.
/// </summary>
public static class ArtifactTags
{
    public static IReadOnlyList<string> Suffixes { get; } = [".sig", ".att", ".sbom", ""];

    public static string For(Digest subject, string suffix) => $"{subject.Algorithm}-{subject.Hex}{suffix}";

    /// <summary>Whether a tag from a tag list is one of these, so that it is never taken for a release.</summary>
    public static bool IsArtifactTag(string tag) =>
        tag.StartsWith("sha256-", StringComparison.Ordinal) || tag.StartsWith("sha512-", StringComparison.Ordinal);
}
