namespace ImageSync.Registry;

/// <summary>
/// The result of starting an upload: the blob was mounted, or stored by the POST that carried it
/// (<paramref name="Stored"/>, a single-POST upload), or here is the session to PUT to, and the smallest chunk the
/// registry accepts when it wants chunks (<c>OCI-Chunk-Min-Length</c>).
/// </summary>
public sealed record UploadStart(bool Mounted, Uri? Session, long? ChunkMinLength = null, bool Stored = false);
