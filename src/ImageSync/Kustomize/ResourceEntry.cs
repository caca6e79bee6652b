namespace ImageSync.Kustomize;

/// <summary>One resource of a kustomization: a nested kustomization, a local file's text, or a raw GitHub file.</summary>
public sealed record ResourceEntry(KustomizationResource Declared, KustomizationNode? Nested = null, string? DisplayPath = null, string? Content = null, RawGitHubFile? Remote = null);
