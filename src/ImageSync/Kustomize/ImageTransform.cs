using ImageSync.Config;

namespace ImageSync.Kustomize;

/// <summary>
/// One entry of a kustomization's <c>images:</c>, kustomize's <c>types.Image</c>: <paramref name="Name"/> selects
/// references (as kustomize does, see <see cref="ImageNameMatcher"/>); <paramref name="NewName"/>,
/// <paramref name="NewTag"/>, <paramref name="Digest"/> and <paramref name="TagSuffix"/> replace parts of them
/// (empty: keep). <paramref name="Position"/> is where the entry starts, <paramref name="NamePosition"/> its name.
/// </summary>
public sealed record ImageTransform(
    string Name,
    string NewName,
    string NewTag,
    string Digest,
    string TagSuffix,
    SourcePosition Position,
    SourcePosition NamePosition);
