using System.Text;
using System.Text.Json;
using ImageSync.Layout;
using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Tests.Layout;

public class LayoutIndexTests
{
    private static readonly Digest A = Digest.Sha256("a"u8);
    private static readonly Digest B = Digest.Sha256("b"u8);

    // As skopeo 1.x writes index.json for oci:PATH:1.0 (containers/image oci/layout): one entry per tag.
    private static readonly string Skopeo =
        $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"{{{A}}}","size":491,"annotations":{"org.opencontainers.image.ref.name":"1.0"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{B}}}","size":12,"annotations":{"org.opencontainers.image.ref.name":"docker.io/library/x:1","com.example":"kept"}}],"annotations":{"note":"kept"}}""";

    [Fact]
    public void A_new_layouts_index_names_the_tag_as_an_oci_image_index()
    {
        var json = LayoutIndex.WithTag(null, new Descriptor(MediaTypes.OciManifest, A, 7), "1.0");

        Assert.Equal($$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{A}}}","size":7,"annotations":{"org.opencontainers.image.ref.name":"1.0"}}]}""", Encoding.UTF8.GetString(json));
        Assert.Equal([new LayoutEntry(new Descriptor(MediaTypes.OciManifest, A, 7), "1.0")], LayoutIndex.Parse(json));
    }

    [Fact]
    public void Moving_a_tag_replaces_its_entry_and_keeps_everything_else_as_written()
    {
        var json = LayoutIndex.WithTag(Encoding.UTF8.GetBytes(Skopeo), new Descriptor(MediaTypes.OciIndex, B, 12), "1.0");

        var entries = LayoutIndex.Parse(json);
        Assert.Equal(2, entries.Count);
        Assert.Equal(new LayoutEntry(new Descriptor(MediaTypes.OciIndex, B, 12), "1.0"), entries[1]);
        // A ref.name that is no tag (a full reference some tools write) is kept in the file, and is no tag of ours.
        Assert.Null(entries[0].Tag);
        using var written = JsonDocument.Parse(json);
        Assert.Equal("kept", written.RootElement.GetProperty("annotations").GetProperty("note").GetString());
        Assert.Equal("kept", written.RootElement.GetProperty("manifests")[0].GetProperty("annotations").GetProperty("com.example").GetString());
    }

    [Fact]
    public void A_second_tag_on_the_same_digest_is_an_entry_of_its_own()
    {
        var one = LayoutIndex.WithTag(null, new Descriptor(MediaTypes.OciIndex, A, 3), "1.0");
        var two = LayoutIndex.WithTag(one, new Descriptor(MediaTypes.OciIndex, A, 3), "latest");

        Assert.Equal(["1.0", "latest"], LayoutIndex.Parse(two).Select(e => e.Tag));
    }

    [Theory]
    [InlineData("[]", "not an image index")]
    [InlineData("""{"schemaVersion":1,"manifests":[]}""", "not an image index")]
    [InlineData("""{"schemaVersion":2,"manifests":{}}""", "not a list")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:../../etc/passwd","size":1}]}""", "manifests[0] has no valid digest")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:aaaa","size":1}]}""", "manifests[0] has no valid digest")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"digest":"sha256:aaaa","size":1}]}""", "manifests[0] has no mediaType")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb","size":-1}]}""", "manifests[0] has no valid size")]
    [InlineData("{", "not JSON")]
    public void An_index_that_is_no_image_index_is_refused_whole_and_is_not_rewritten(string json, string expected)
    {
        var parse = Assert.Throws<InvalidDataException>(() => LayoutIndex.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(expected, parse.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => LayoutIndex.WithTag(Encoding.UTF8.GetBytes(json), new Descriptor(MediaTypes.OciIndex, A, 3), "1.0"));
    }

    [Fact]
    public void A_ref_name_outside_the_tag_grammar_never_becomes_a_tag()
    {
        var json = $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"{{{A}}}","size":1,"annotations":{"org.opencontainers.image.ref.name":"../../v2/other/manifests/latest"}}]}""";

        Assert.Null(Assert.Single(LayoutIndex.Parse(Encoding.UTF8.GetBytes(json))).Tag);
    }
}
