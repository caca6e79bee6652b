using System.Text;
using ImageSync.References;
using ImageSync.Registry;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Registry;

public class ManifestDocumentTests
{
    [Fact]
    public void The_digest_is_over_the_exact_bytes_received()
    {
        var image = TestImage.Create("bytes");
        var withSpaces = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(image.Root.Raw).Replace(",", ", ", StringComparison.Ordinal));
        var parsed = ManifestDocument.Parse(withSpaces, null);
        Assert.Equal(Digest.Sha256(withSpaces), parsed.Digest);
        Assert.NotEqual(image.Root.Digest, parsed.Digest.ToString());
        Assert.Same(withSpaces, parsed.Raw);
    }

    [Fact]
    public void Reads_children_with_platforms_and_image_blobs()
    {
        var image = TestImage.Create("parse", ["linux/amd64", "linux/arm/v7"]);
        var index = ManifestDocument.Parse(image.Root.Raw, MediaTypes.OciIndex);
        Assert.True(index.IsIndex);
        Assert.Equal([Platform.Parse("linux/amd64"), Platform.Parse("linux/arm/v7")], index.Children.Select(c => c.Platform));
        var child = ManifestDocument.Parse(image.Children[0].Raw, null);
        Assert.Equal(3, child.Blobs.Count);
        Assert.Equal("application/vnd.oci.image.config.v1+json", child.Blobs[0].MediaType);
    }

    [Fact]
    public void Filtering_an_index_keeps_each_childs_json_and_is_deterministic()
    {
        var image = TestImage.Create("filter", ["linux/amd64", "linux/arm64", "linux/s390x"]);
        var index = ManifestDocument.Parse(image.Root.Raw, null);
        var keep = new[] { index.Children[0].Digest, index.Children[2].Digest };

        var first = index.FilterIndex(d => keep.Contains(d.Digest));
        var second = index.FilterIndex(d => keep.Contains(d.Digest));

        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(keep, first.Children.Select(c => c.Digest));
        Assert.Equal(MediaTypes.OciIndex, first.MediaType);
        Assert.Contains("\"platform\":{\"architecture\":\"s390x\",\"os\":\"linux\"}", Encoding.UTF8.GetString(first.Raw), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}", "schema 1")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"digest\":\"sha256:abc\",\"size\":1},\"layers\":[]}", "bad digest")]
    [InlineData("{\"schemaVersion\":2,\"mediaType\":\"text/plain\"}", "unsupported manifest media type")]
    public void Refuses_what_it_cannot_copy_faithfully(string json, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => ManifestDocument.Parse(Encoding.UTF8.GetBytes(json), null));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/vnd.oci.image.manifest.v1+json")]
    [InlineData("application/vnd.oci.image.index.v1+json")]
    public void A_document_that_is_both_an_index_and_an_image_is_refused_whatever_it_is_served_as(string? contentType)
    {
        var descriptor = "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:" + new string('a', 64) + "\",\"size\":1}";
        var both = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"config\":" + descriptor + ",\"layers\":[" + descriptor + "],\"manifests\":[" + descriptor + "]}");

        var e = Assert.Throws<InvalidDataException>(() => ManifestDocument.Parse(both, contentType));

        Assert.Contains("CVE-2021-41190", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Platforms_a_registry_writes_are_one_short_inert_line_each()
    {
        var index = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + new string('b', 64)
            + "\",\"size\":1,\"platform\":{\"os\":\"linux\\r::error::x\",\"architecture\":\"" + new string('a', 100) + "\",\"variant\":\"v7\\n\"}}]}");

        var platform = ManifestDocument.Parse(index, null).Children[0].Platform!;

        Assert.Equal("linux ::error::x", platform.Os);
        Assert.Equal(41, platform.Architecture.Length);
        Assert.Equal("v7", platform.Variant);
    }
}
