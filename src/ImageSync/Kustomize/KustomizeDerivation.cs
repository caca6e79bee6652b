using ImageSync.Config;

namespace ImageSync.Kustomize;

/// <summary>
/// What the configured kustomizations yield: the images to mirror (one <see cref="ImageSpec"/> per upstream and
/// target repository, their tags from every kustomization), every pair found (mirrored or not ours), and the findings
/// (errors: unreadable kustomizations, conflicting mappings; warnings: images no entry maps, entries that map nothing).
/// </summary>
public sealed record KustomizeDerivation(IReadOnlyList<ImageSpec> Images, IReadOnlyList<DerivedPair> Pairs, IReadOnlyList<Diagnostic> Diagnostics)
{
    public IEnumerable<DerivedPair> NotOurs => Pairs.Where(p => !p.Ours).DistinctBy(p => p.Target.ToString());
}
