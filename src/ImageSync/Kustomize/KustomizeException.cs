using ImageSync.Config;
using ImageSync.Errors;

namespace ImageSync.Kustomize;

/// <summary>A kustomization or resource imagesync cannot read as kustomize would; the message starts with file:line:column.</summary>
public sealed class KustomizeException(SourcePosition position, string message, Exception? inner = null)
    : ImageSyncException($"{position}: {message}", inner)
{
    public SourcePosition Position { get; } = position;

    public string Reason { get; } = message;
}
