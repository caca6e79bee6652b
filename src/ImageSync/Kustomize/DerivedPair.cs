using ImageSync.Config;
using ImageSync.References;

namespace ImageSync.Kustomize;

/// <summary>
/// One image a kustomization makes its pods pull: <paramref name="Written"/> is the reference as the resource
/// writes it, <paramref name="Target"/> what kubectl kustomize prints for it, <paramref name="Upstream"/> where a copy
/// comes from (the written name with the tag and digest kustomize ends with; the same as written unless an entry
/// sets newTag or digest). <paramref name="Mapping"/> is the images: entry that renamed it (null: none did).
/// <paramref name="Ours"/>: the target lies under kustomize.targets, so it is mirrored.
/// </summary>
public sealed record DerivedPair(
    string Written,
    Reference Upstream,
    Reference Target,
    string Kustomization,
    SourcePosition Resource,
    SourcePosition? Mapping,
    bool Ours)
{
    public string Origin => $"{Kustomization} ({Resource})";

    /// <summary>How a pair outside kustomize.targets is listed.</summary>
    public string NotMirroredLine => $"{Target}: maintained elsewhere, not mirrored (from {Origin})";
}
