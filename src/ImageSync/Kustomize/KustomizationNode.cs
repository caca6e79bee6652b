namespace ImageSync.Kustomize;

/// <summary>A kustomization with its resources loaded: files (local, or raw GitHub files to fetch) and nested kustomizations.</summary>
public sealed record KustomizationNode(Kustomization Kustomization, IReadOnlyList<ResourceEntry> Resources);

/// <summary>One resource of a kustomization: a nested kustomization, a local file's text, or a raw GitHub file.</summary>
public sealed record ResourceEntry(KustomizationResource Declared, KustomizationNode? Nested = null, string? DisplayPath = null, string? Content = null, RawGitHubFile? Remote = null);
