namespace ImageSync.Kustomize;

/// <summary>
/// An image value cut as kustomize v5 cuts it (<c>api/image</c> Split): the name, the tag and the digest, each
/// without its separator. Only what follows the first '/' is searched for ':' and '@', so a registry port stays in
/// the name (<c>localhost:5000/nginx:2</c> is <c>localhost:5000/nginx</c> and <c>2</c>); the first ':' and the first
/// '@' after it decide. Nothing is normalised: <c>nginx</c> stays <c>nginx</c>, as kustomize leaves it.
/// </summary>
public sealed record ImageParts(string Name, string Tag, string Digest)
{
    public static ImageParts Split(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        var offset = slash > 0 ? slash : 0;
        var search = image[offset..];
        var at = search.IndexOf('@', StringComparison.Ordinal);
        var colon = search.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 && at < 0)
        {
            return new ImageParts(image, "", "");
        }
        if (at >= 0 && (at < colon || colon < 0))
        {
            return new ImageParts(image[..(offset + at)], "", image[(offset + at + 1)..]);
        }
        if (at >= 0)
        {
            return new ImageParts(image[..(offset + colon)], image[(offset + colon + 1)..(offset + at)], image[(offset + at + 1)..]);
        }
        return new ImageParts(image[..(offset + colon)], image[(offset + colon + 1)..], "");
    }

    /// <summary>Put back together as kustomize does: name, then <c>:tag</c> if any, then <c>@digest</c> if any.</summary>
    public override string ToString() => Name + (Tag.Length > 0 ? ":" + Tag : "") + (Digest.Length > 0 ? "@" + Digest : "");
}
