using ImageSync.References;

namespace ImageSync.Layout;

/// <summary>
/// The files of one layout folder (image-layout.md): <c>oci-layout</c>, <c>index.json</c>, <c>blobs/ALG/HEX</c>. A blob's
/// path is made only from a parsed <see cref="Digest"/> (sha256 or sha512, lowercase hex of the exact length), never
/// from text, so no digest can name a file outside <c>blobs/</c>; the result is checked to lie under it all the same.
/// </summary>
public sealed class LayoutPaths
{
    public LayoutPaths(string root)
    {
        Root = Path.GetFullPath(root);
        Blobs = Path.Combine(Root, "blobs");
    }

    public string Root { get; }

    public string Blobs { get; }

    public string OciLayout => Path.Combine(Root, "oci-layout");

    public string Index => Path.Combine(Root, "index.json");

    public string Blob(Digest digest)
    {
        if (!Digest.TryParse(digest.ToString(), out var valid, out var error))
        {
            // A Digest made with its constructor, not parsed: never trusted as a path.
            throw new ArgumentException(error, nameof(digest));
        }
        var path = Path.GetFullPath(Path.Combine(Blobs, valid.Algorithm, valid.Hex));
        if (!path.StartsWith(Blobs + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{digest} does not name a file under blobs/", nameof(digest));
        }
        return path;
    }

    /// <summary>A name of our own beside the files it will replace (same file system, so the rename is atomic); other tools ignore it.</summary>
    public string Temporary(string purpose) => Path.Combine(Root, $".imagesync-{purpose}-{Guid.NewGuid():N}.tmp");
}
