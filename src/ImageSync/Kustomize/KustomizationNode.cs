namespace ImageSync.Kustomize;

/// <summary>A kustomization with its resources loaded: files (local, or raw GitHub files to fetch) and nested kustomizations.</summary>
public sealed record KustomizationNode(Kustomization Kustomization, IReadOnlyList<ResourceEntry> Resources);
