using System.Text;
using ImageSync.Layout;
using ImageSync.References;

namespace ImageSync.Tests.Layout;

/// <summary>One layout folder written directly (no server): what index.json may name, and when.</summary>
public sealed class OciLayoutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-oci-layout-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<Digest> PutBlobAsync(OciLayout layout, byte[] content)
    {
        var id = await layout.StartUploadAsync(CancellationToken.None);
        await layout.Upload(id)!.AppendAsync(new MemoryStream(content), CancellationToken.None);
        var digest = Digest.Sha256(content);
        Assert.True(layout.Upload(id)!.Commit(digest));
        layout.EndUpload(id);
        return digest;
    }

    private static byte[] Manifest(Digest config, Digest layer, int size) => Encoding.UTF8.GetBytes(
        $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{config}}}","size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{{layer}}}","size":{{{size}}}}]}""");

    [Fact]
    public async Task Tags_written_at_once_are_all_named_in_index_json()
    {
        using var layout = new OciLayout(Path.Combine(_dir, "app"), writable: true);
        var config = await PutBlobAsync(layout, "{}"u8.ToArray());
        var layer = await PutBlobAsync(layout, new byte[100]);
        var manifest = Manifest(config, layer, 100);
        await PutBlobAsync(layout, manifest);

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => layout.PutManifestAsync(manifest, null, $"v{i}", CancellationToken.None))));

        var tags = (await layout.ReadIndexAsync(CancellationToken.None)).Select(e => e.Tag!).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"v{i}").ToHashSet(), tags);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "app"), ".imagesync-*"));
    }

    [Fact]
    public async Task A_manifest_whose_layer_is_not_there_is_refused_and_index_json_is_left_as_it_was()
    {
        using var layout = new OciLayout(Path.Combine(_dir, "app"), writable: true);
        var config = await PutBlobAsync(layout, "{}"u8.ToArray());
        var missing = Digest.Sha256(new byte[5]);

        var refused = await Assert.ThrowsAsync<LayoutRefusalException>(() => layout.PutManifestAsync(Manifest(config, missing, 5), null, "1.0", CancellationToken.None));

        Assert.Equal("MANIFEST_BLOB_UNKNOWN", refused.Code);
        Assert.Empty(await layout.ReadIndexAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Bytes_that_are_not_the_digest_they_claim_never_get_its_name()
    {
        using var layout = new OciLayout(Path.Combine(_dir, "app"), writable: true);
        var id = await layout.StartUploadAsync(CancellationToken.None);
        await layout.Upload(id)!.AppendAsync(new MemoryStream("not it"u8.ToArray()), CancellationToken.None);
        var claimed = Digest.Sha256("it"u8);

        Assert.False(layout.Upload(id)!.Commit(claimed));
        layout.EndUpload(id);

        Assert.False(layout.HasBlob(claimed));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "app"), ".imagesync-*"));
    }

    [Fact]
    public async Task An_upstream_layout_is_never_written()
    {
        using var layout = new OciLayout(Path.Combine(_dir, "up"), writable: false);

        var refused = await Assert.ThrowsAsync<LayoutRefusalException>(() => layout.StartUploadAsync(CancellationToken.None));

        Assert.Equal("DENIED", refused.Code);
        Assert.False(Directory.Exists(Path.Combine(_dir, "up")));
    }

    [Fact]
    public async Task A_folder_of_other_files_is_not_made_a_layout()
    {
        var home = Directory.CreateDirectory(Path.Combine(_dir, "home")).FullName;
        File.WriteAllText(Path.Combine(home, "notes.txt"), "mine");
        using var layout = new OciLayout(home, writable: true);

        await Assert.ThrowsAsync<ImageSync.Registry.RegistryException>(() => layout.StartUploadAsync(CancellationToken.None));

        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(home).Select(Path.GetFileName));
    }
}
