using ImageSync.Config;

namespace ImageSync.Kustomize;

/// <summary>One entry of a kustomization's <c>resources:</c> (or the deprecated <c>bases:</c>), as written, and where.</summary>
public sealed record KustomizationResource(string Value, SourcePosition Position)
{
    public bool IsUrl => Value.Contains("://", StringComparison.Ordinal) || Value.StartsWith("git@", StringComparison.Ordinal) || Value.StartsWith("github.com/", StringComparison.Ordinal);
}
