namespace ImageSync.AutoUpdate;

/// <summary>An <c>images[].name</c> rewritten because upstream moved the image: the kustomization (full path, and as displayed), the line, the names.</summary>
public sealed record KustomizationRename(string FullPath, string File, int Line, string OldName, string NewName);
