namespace ImageSync.Upstream;

/// <summary>
/// One upstream file as fetched: its path in the repository, its text, and a link a person can open;
/// <see cref="Bytes"/> holds the file as stored, for a vendored copy that must be byte-exact.
/// </summary>
public sealed record UpstreamFile(string Path, string Content, string WebUrl)
{
    public byte[] Bytes { get; init; } = [];
}
