using ImageSync.Layout;
using ImageSync.References;

namespace ImageSync.Tests.Layout;

public class LayoutPathsTests
{
    [Fact]
    public void A_blob_lies_under_blobs_by_its_algorithm_and_hex()
    {
        var paths = new LayoutPaths("/srv/mirror/app");
        var digest = Digest.Sha256("x"u8);

        Assert.Equal($"/srv/mirror/app/blobs/sha256/{digest.Hex}", paths.Blob(digest));
        Assert.Equal("/srv/mirror/app/index.json", paths.Index);
        Assert.Equal("/srv/mirror/app/oci-layout", paths.OciLayout);
    }

    [Theory]
    [InlineData("sha256", "../../../../etc/passwd")]
    [InlineData("..", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256", "/etc/passwd")]
    public void A_digest_that_was_not_parsed_never_becomes_a_path(string algorithm, string hex)
    {
        var paths = new LayoutPaths("/srv/mirror/app");

        Assert.Throws<ArgumentException>(() => paths.Blob(new Digest(algorithm, hex)));
    }

    [Fact]
    public void Temporary_files_are_the_layouts_own_beside_what_they_replace()
    {
        var paths = new LayoutPaths("/srv/mirror/app");

        Assert.Matches(@"^/srv/mirror/app/\.imagesync-upload-[0-9a-f]{32}\.tmp$", paths.Temporary("upload"));
    }
}
