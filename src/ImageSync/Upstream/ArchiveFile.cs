namespace ImageSync.Upstream;

/// <summary>A regular file of an upstream archive: its path in the repository, its size, and its bytes on request (read once, while it is the current entry).</summary>
public sealed record ArchiveFile(string Path, long Size, Func<CancellationToken, Task<byte[]>> ReadAllAsync);
