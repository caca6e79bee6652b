using ImageSync.Layout;

namespace ImageSync.Tests.Layout;

public class LayoutRouteTests
{
    private const string Hex = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";

    [Theory]
    [InlineData("/v2/layout/manifests/1.0", LayoutRouteKind.Manifest, "1.0")]
    [InlineData("/v2/layout/manifests/sha256:" + Hex, LayoutRouteKind.Manifest, "sha256:" + Hex)]
    [InlineData("/v2/layout/manifests/sha256%3A" + Hex, LayoutRouteKind.Manifest, "sha256:" + Hex)]
    [InlineData("/v2/layout/blobs/sha256:" + Hex, LayoutRouteKind.Blob, "sha256:" + Hex)]
    [InlineData("/v2/layout/blobs/uploads/", LayoutRouteKind.StartUpload, "")]
    [InlineData("/v2/layout/blobs/uploads/0123456789abcdef0123456789abcdef", LayoutRouteKind.Upload, "0123456789abcdef0123456789abcdef")]
    [InlineData("/v2/layout/tags/list", LayoutRouteKind.Tags, "")]
    [InlineData("/v2/layout/referrers/sha256:" + Hex, LayoutRouteKind.Referrers, "sha256:" + Hex)]
    public void Reads_the_distribution_api_routes(string path, LayoutRouteKind kind, string argument)
    {
        Assert.Equal(new LayoutRoute(kind, argument), LayoutRoute.Parse(new Uri("https://0123456789abcdef.ocidir.invalid" + path)));
    }

    [Theory]
    [InlineData("/v2/layout/blobs/sha256:..%2F..%2Findex.json")]
    [InlineData("/v2/layout/blobs/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/v2/layout/manifests/..%2Findex.json")]
    [InlineData("/v2/layout/manifests/.hidden")]
    [InlineData("/v2/layout/blobs/sha256:AAAA")]
    [InlineData("/v2/layout/blobs/uploads/..%2F..%2Foci-layout")]
    [InlineData("/v2/other/manifests/1.0")]
    [InlineData("/v2/layout/manifests/1.0/extra")]
    public void Anything_that_is_no_tag_digest_or_upload_id_is_no_route(string path)
    {
        Assert.Null(LayoutRoute.Parse(new Uri("https://0123456789abcdef.ocidir.invalid" + path)));
    }
}
