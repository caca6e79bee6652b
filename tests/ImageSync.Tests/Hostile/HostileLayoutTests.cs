using ImageSync.Tests.Support;

namespace ImageSync.Tests.Hostile;

/// <summary>A layout carried across an air gap is outside input: its files are checked as a registry's answers are.</summary>
public sealed class HostileLayoutTests : IAsyncLifetime
{
    private SyncWorld _world = null!;
    private readonly string _disk = Directory.CreateTempSubdirectory("imagesync-hostile-layout-").FullName;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        Directory.Delete(_disk, recursive: true);
    }

    private string Config(string upstream, string target) => _world.File($"hostile-{Guid.NewGuid():N}.json",
        $$"""{ "images": [ { "name": "app", "upstream": "{{upstream}}", "target": "{{target}}", "tags": ["1.0"] } ] }""");

    [Fact]
    public async Task A_layer_changed_on_the_disk_is_refused_while_it_streams_and_no_tag_is_written()
    {
        var image = TestImage.Create("hostile-layout", ["linux/amd64"], [64 * 1024]);
        await image.PushAsync(_world.Upstream, "istio/app", "1.0");
        var layout = Path.Combine(_disk, "tampered");
        await LayoutFolder.SkopeoCopyAsync($"docker://{_world.Upstream.Host}/istio/app:1.0", $"oci:{layout}:1.0");
        var layer = image.Blobs.MaxBy(b => b.Content.Length)!;
        var file = Path.Combine(layout, "blobs", "sha256", layer.Digest["sha256:".Length..]);
        var bytes = File.ReadAllBytes(file);
        bytes[100] ^= 0xff;
        File.WriteAllBytes(file, bytes);

        var run = await _world.RunAsync(Config($"ocidir://{layout}", "target.test/mirror/app"), "SyncAll");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(layer.Digest, run.Out + run.Error, StringComparison.Ordinal);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/app:1.0"));
        Assert.DoesNotContain(await _world.Target.RequestsAsync(), r => r.Method == "PUT" && r.Path.Contains("/manifests/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_index_json_whose_digest_climbs_out_of_blobs_is_refused_and_nothing_outside_is_read()
    {
        var layout = Directory.CreateDirectory(Path.Combine(_disk, "climbing")).FullName;
        File.WriteAllText(Path.Combine(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(layout, "index.json"),
            """{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../../../etc/passwd","size":10,"annotations":{"org.opencontainers.image.ref.name":"1.0"}}]}""");

        var run = await _world.RunAsync(Config($"ocidir://{layout}", "target.test/mirror/app"), "SyncAll");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("index.json: manifests[0] has no valid digest", run.Out, StringComparison.Ordinal);
        // The target's tag HEAD goes out beside the upstream's (Copy/TagSynchronizer); nothing more is asked or written.
        Assert.All(await _world.Target.RequestsAsync(), r => Assert.Equal(("HEAD", "/v2/mirror/app/manifests/1.0"), (r.Method, r.Path)));
    }
}
