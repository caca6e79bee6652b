using ImageSync.References;

namespace ImageSync.Copy;

/// <summary>
/// A blob a dry run found missing in a target repository: where it would go (<paramref name="Endpoint"/>, the
/// target registry's URL, and <paramref name="Repository"/>), and whether the copy would mount it from the source
/// repository on the same endpoint instead of moving its bytes.
/// </summary>
public sealed record PlannedBlob(string Endpoint, string Repository, Digest Digest, long Size, bool MountedFromSource);
