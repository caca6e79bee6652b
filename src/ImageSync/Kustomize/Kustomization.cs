namespace ImageSync.Kustomize;

/// <summary>
/// A kustomization as far as images go: its file (<paramref name="File"/>, as displayed), the folder its resources
/// are relative to (<paramref name="Folder"/>, full path), its resources in order and its <c>images:</c> entries in
/// order (kustomize applies them one after the other).
/// </summary>
public sealed record Kustomization(string File, string Folder, IReadOnlyList<KustomizationResource> Resources, IReadOnlyList<ImageTransform> Images);
