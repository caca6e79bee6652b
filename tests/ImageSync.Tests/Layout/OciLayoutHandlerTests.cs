using System.Text;
using ImageSync.Layout;
using ImageSync.References;
using ImageSync.Registry;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Layout;

/// <summary>RegistryClient over the layout handler alone: a layout's requests never go further down the stack.</summary>
public sealed class OciLayoutHandlerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-layout-handler-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Tags_manifests_and_blobs_come_from_the_files_and_nothing_reaches_the_network()
    {
        var layoutPath = Path.Combine(_dir, "app");
        var reference = Reference.ParseLocation($"ocidir://{layoutPath}");
        using var layout = new OciLayout(layoutPath, writable: true);
        var network = new NoNetworkHandler();
        using var http = new HttpClient(new OciLayoutHandler(new Dictionary<string, OciLayout> { [reference.Registry] = layout }) { InnerHandler = network });
        var client = new RegistryClient(http, RegistryEndpoints.Default);
        var repository = RepositoryAccess.PullPush(reference);
        var layer = Encoding.UTF8.GetBytes(new string('x', 1000));
        var config = "{}"u8.ToArray();
        foreach (var blob in new[] { layer, config })
        {
            var start = await client.StartUploadAsync(repository, null, null, CancellationToken.None);
            await client.CompleteUploadAsync(repository, start.Session!, new MemoryStream(blob), new Descriptor(MediaTypes.OctetStream, Digest.Sha256(blob), blob.Length), CancellationToken.None);
        }
        var manifest = ManifestDocument.Parse(Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{Digest.Sha256(config)}}}","size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{{{Digest.Sha256(layer)}}}","size":1000}]}"""), null);
        await client.PutManifestAsync(repository, "1.0", manifest, CancellationToken.None);
        await client.PutManifestAsync(repository, "latest", manifest, CancellationToken.None);

        var tags = new List<string>();
        await foreach (var tag in client.ListTagsAsync(repository, CancellationToken.None))
        {
            tags.Add(tag);
        }
        Assert.Equal(["1.0", "latest"], tags);
        Assert.Equal(manifest.ToDescriptor(), await client.HeadManifestAsync(repository, "1.0", CancellationToken.None));
        Assert.Equal(manifest.Raw, (await client.GetManifestAsync(repository, manifest.Digest.ToString(), CancellationToken.None)).Raw);
        Assert.Null(await client.HeadManifestAsync(repository, "2.0", CancellationToken.None));
        Assert.True(await client.BlobExistsAsync(repository, Digest.Sha256(layer), CancellationToken.None));
        await using (var read = await client.OpenBlobAsync(repository, manifest.Blobs[1], CancellationToken.None))
        {
            var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(layer, copy.ToArray());
        }
        Assert.Null(await client.GetReferrersAsync(repository, manifest.Digest, null, CancellationToken.None));
        Assert.Equal(0, network.Seen);
    }

    [Fact]
    public async Task A_layout_name_the_run_does_not_know_is_refused_and_other_names_go_on_down()
    {
        var network = new NoNetworkHandler();
        using var http = new HttpClient(new OciLayoutHandler(new Dictionary<string, OciLayout>()) { InnerHandler = network });
        var client = new RegistryClient(http, RegistryEndpoints.Default);

        var unknown = await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync(RepositoryAccess.Pull(Reference.ParseLocation("ocidir://elsewhere")), "1.0", CancellationToken.None));
        Assert.Contains("no OCI layout of this run has that name", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(0, network.Seen);

        await Assert.ThrowsAsync<RegistryException>(() => client.HeadManifestAsync(RepositoryAccess.Pull(Reference.Parse("registry.example/app")), "1.0", CancellationToken.None));
        Assert.Equal(1, network.Seen);
    }
}
