namespace ImageSync.AutoUpdate;

/// <summary>
/// What AdoptSamples found in a checkout: the kustomization folders (<see cref="Paths"/>, relative to the
/// configuration), the target prefix most of their <c>newName</c>s share (<see cref="Targets"/>), each vendored file
/// matched by content to its upstream path, and notes for a maintainer to review.
/// </summary>
public sealed record AdoptionResult(IReadOnlyList<string> Paths, IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Notes);
