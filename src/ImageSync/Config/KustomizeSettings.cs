using ImageSync.References;

namespace ImageSync.Config;

/// <summary>
/// The <c>kustomize</c> section: the kustomization folders whose images are mirrored (<paramref name="Paths"/>, each a
/// folder holding a kustomization or a folder of such folders, relative to the configuration's folder) and the
/// target prefixes that are ours to write (<paramref name="Targets"/>, normalised registry/path without a trailing
/// slash: <c>quay.io/sail-dev</c>). A derived image whose target lies elsewhere is listed, never written.
/// </summary>
public sealed record KustomizeSettings(IReadOnlyList<string> Paths, IReadOnlyList<string> Targets, SourcePosition Position, IReadOnlyList<SourcePosition> PathPositions)
{
    /// <summary>Whether <paramref name="target"/> lies under one of <see cref="Targets"/>.</summary>
    public bool Owns(Reference target) =>
        Targets.Any(t => t == target.Registry || target.Name.StartsWith(t + "/", StringComparison.Ordinal));
}
