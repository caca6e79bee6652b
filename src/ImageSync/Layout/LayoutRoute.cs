using ImageSync.References;

namespace ImageSync.Layout;

/// <summary>
/// A request path of the distribution API, read for a layout: <c>/v2/layout/manifests/REF</c>, <c>blobs/DIGEST</c>,
/// <c>blobs/uploads/[ID]</c>, <c>tags/list</c>, <c>referrers/DIGEST</c>. The argument is checked here, before any
/// path is formed: a manifest reference is a tag or a digest, a blob a digest, an upload id 32 hex characters.
/// </summary>
public sealed record LayoutRoute(LayoutRouteKind Kind, string Argument)
{
    private const string Prefix = "/v2/" + LayoutReference.Repository + "/";

    public static LayoutRoute? Parse(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = path[Prefix.Length..].Split('/').Select(Uri.UnescapeDataString).ToArray();
        return parts switch
        {
            ["manifests", var reference] when Reference.IsValidTag(reference) || IsDigest(reference) => new(LayoutRouteKind.Manifest, reference),
            ["blobs", "uploads", ""] => new(LayoutRouteKind.StartUpload, ""),
            ["blobs", "uploads", var id] when id.Length == 32 && id.All(char.IsAsciiHexDigitLower) => new(LayoutRouteKind.Upload, id),
            ["blobs", var digest] when IsDigest(digest) => new(LayoutRouteKind.Blob, digest),
            ["tags", "list"] => new(LayoutRouteKind.Tags, ""),
            ["referrers", var digest] when IsDigest(digest) => new(LayoutRouteKind.Referrers, digest),
            _ => null,
        };
    }

    private static bool IsDigest(string text) => Digest.TryParse(text, out _, out _);

    public Digest Digest => Digest.Parse(Argument);
}
