using ImageSync.Config;

namespace ImageSync.Kustomize;

/// <summary>
/// An image value in a resource that kustomize's images transformer reaches: the value as written, where, and how
/// many times each <c>images:</c> entry is applied to it (2 where both of kustomize's passes reach it, see
/// <see cref="ResourceImageFinder"/>; it matters only for tagSuffix, the one change that is not idempotent).
/// </summary>
public sealed record ResourceImage(string Value, SourcePosition Position, int Passes);
