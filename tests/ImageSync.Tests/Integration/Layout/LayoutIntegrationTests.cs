using System.Diagnostics;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Layout;

/// <summary>
/// ocidir://PATH as a target and as an upstream, between real distribution 2.8 registries, with skopeo's oci:
/// transport as the independent reader and writer of the layout.
/// </summary>
public sealed class LayoutIntegrationTests : IAsyncLifetime
{
    private SyncWorld _world = null!;
    private readonly string _disk = Directory.CreateTempSubdirectory("imagesync-layout-").FullName;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync(proxyUpstream: true);

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        Directory.Delete(_disk, recursive: true);
    }

    private string Config(string upstream, string target, params string[] tags) => _world.File($"layout-{Guid.NewGuid():N}.json",
        $$"""{ "images": [ { "name": "app", "upstream": "{{upstream}}", "target": "{{target}}", "tags": [{{string.Join(", ", tags.Select(t => $"\"{t}\""))}}] } ] }""");

    [Fact]
    public async Task A_mirror_goes_to_a_layout_and_from_it_into_another_registry_with_every_digest_kept_and_skopeo_reads_it()
    {
        var image = TestImage.Create("layout-air-gap", ["linux/amd64", "linux/arm64"]);
        await image.PushAsync(_world.Upstream, "istio/app", "1.0");
        await image.PushAsync(_world.Upstream, "istio/app", "latest");
        var layout = Path.Combine(_disk, "istio", "app");

        var outbound = await _world.RunAsync(Config("upstream.test/istio/app", $"ocidir://{layout}", "1.0", "latest"), "SyncAll");

        Assert.True(outbound.ExitCode == 0, outbound.Out + outbound.Error);
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", File.ReadAllText(Path.Combine(layout, "oci-layout")));
        Assert.Equal(new Dictionary<string, string> { ["1.0"] = image.Root.Digest, ["latest"] = image.Root.Digest }, LayoutFolder.Tags(layout));
        Assert.Empty(LayoutFolder.Incomplete(layout));
        // Blobs are shared within the layout: each once on disk, and fetched from upstream once for both tags.
        Assert.Equal(image.Blobs.Count + image.Children.Count + 1, Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Length);
        Assert.All(image.Blobs, b => Assert.Single(_world.Proxy.Seen, s => s.Method == "GET" && s.Path.EndsWith(b.Digest, StringComparison.Ordinal)));
        Assert.Empty(Directory.GetFiles(layout, ".imagesync-*"));
        // skopeo reads what we wrote, and copies it into a registry with the same digests.
        Assert.Equal(image.Root.Digest, await LayoutFolder.SkopeoDigestAsync(layout, "1.0"));
        await LayoutFolder.SkopeoCopyAsync($"oci:{layout}:1.0", $"docker://{_world.Target.Host}/by-skopeo/app:1.0");
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "by-skopeo/app:1.0"));

        // The other side of the air gap: the layout is the upstream; nothing but the target registry is asked.
        await _world.Upstream.ResetLogAsync();
        var inbound = await _world.RunAsync(Config($"ocidir://{layout}", "target.test/mirror/app", "1.0", "latest"), "SyncAll");

        Assert.True(inbound.ExitCode == 0, inbound.Out + inbound.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:1.0"));
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:latest"));
        foreach (var child in image.Children)
        {
            Assert.Equal(child.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/app@{child.Digest}"));
        }
        Assert.Empty(await _world.Upstream.RequestsAsync());
    }

    [Fact]
    public async Task A_layout_skopeo_wrote_is_read_as_an_upstream_and_the_copy_keeps_its_digests()
    {
        var image = TestImage.Create("layout-by-skopeo", ["linux/amd64", "linux/s390x"]);
        await image.PushAsync(_world.Upstream, "istio/app", "2.0");
        var layout = Path.Combine(_disk, "skopeo-wrote");
        await LayoutFolder.SkopeoCopyAsync($"docker://{_world.Upstream.Host}/istio/app:2.0", $"oci:{layout}:2.0");

        var run = await _world.RunAsync(Config($"ocidir://{layout}", "target.test/mirror/app", "2.0"), "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:2.0"));
        foreach (var child in image.Children)
        {
            Assert.Equal(child.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/app@{child.Digest}"));
        }
    }

    [Fact]
    public async Task A_layout_skopeo_wrote_takes_a_tag_from_us_and_skopeo_still_reads_both()
    {
        var first = TestImage.Create("layout-shared-1", ["linux/amd64"]);
        var second = TestImage.Create("layout-shared-2", ["linux/amd64"]);
        await first.PushAsync(_world.Upstream, "istio/app", "1.0");
        await second.PushAsync(_world.Upstream, "istio/app", "2.0");
        var layout = Path.Combine(_disk, "both");
        await LayoutFolder.SkopeoCopyAsync($"docker://{_world.Upstream.Host}/istio/app:1.0", $"oci:{layout}:1.0");

        var run = await _world.RunAsync(Config("upstream.test/istio/app", $"ocidir://{layout}", "1.0", "2.0"), "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Matches("2 tags: 1 copied, 1 in-sync|2 tags: 1 in-sync, 1 copied", run.Out);
        Assert.Equal(first.Root.Digest, await LayoutFolder.SkopeoDigestAsync(layout, "1.0"));
        Assert.Equal(second.Root.Digest, await LayoutFolder.SkopeoDigestAsync(layout, "2.0"));
        Assert.Empty(LayoutFolder.Incomplete(layout));
    }

    [Fact]
    public async Task A_warm_run_to_a_layout_is_one_head_upstream_and_one_read_of_index_json_per_tag()
    {
        var image = TestImage.Create("layout-warm", ["linux/amd64"]);
        await image.PushAsync(_world.Upstream, "istio/app", "1.0");
        await image.PushAsync(_world.Upstream, "istio/app", "1.1");
        var layout = Path.Combine(_disk, "warm");
        var config = Config("upstream.test/istio/app", $"ocidir://{layout}", "1.0", "1.1");
        Assert.Equal(0, (await _world.RunAsync(config, "SyncAll")).ExitCode);
        await _world.Upstream.ResetLogAsync();
        await _world.Target.ResetLogAsync();

        var warm = await _world.RunAsync(config, "SyncAll", "--debug");

        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.Matches("2 tags: 2 in-sync", warm.Out);
        Assert.Equal(["HEAD /v2/istio/app/manifests/1.0", "HEAD /v2/istio/app/manifests/1.1"],
            (await _world.Upstream.RequestsAsync()).Select(r => $"{r.Method} {r.Path}").Order());
        Assert.Equal([$"debug: HEAD ocidir://{layout} manifests/1.0 -> 200 (from files)", $"debug: HEAD ocidir://{layout} manifests/1.1 -> 200 (from files)"],
            warm.Error.Split('\n').Where(l => l.Contains("ocidir://", StringComparison.Ordinal) && l.StartsWith("debug:", StringComparison.Ordinal)).Order());
        Assert.Empty(await _world.Target.RequestsAsync());
    }

    [Fact]
    public async Task A_layout_copied_to_another_layout_keeps_its_digests_and_a_warm_run_is_two_reads_of_index_json_per_tag()
    {
        var image = TestImage.Create("layout-to-layout", ["linux/amd64", "linux/arm64"]);
        await image.PushAsync(_world.Upstream, "istio/app", "1.0");
        var first = Path.Combine(_disk, "first");
        var second = Path.Combine(_disk, "second");
        await LayoutFolder.SkopeoCopyAsync($"docker://{_world.Upstream.Host}/istio/app:1.0", $"oci:{first}:1.0");
        var config = Config($"ocidir://{first}", $"ocidir://{second}", "1.0");
        Assert.Equal(0, (await _world.RunAsync(config, "SyncAll")).ExitCode);
        Assert.Equal(image.Root.Digest, await LayoutFolder.SkopeoDigestAsync(second, "1.0"));
        Assert.Empty(LayoutFolder.Incomplete(second));
        await _world.Upstream.ResetLogAsync();
        await _world.Target.ResetLogAsync();

        var warm = await _world.RunAsync(config, "SyncAll", "--debug");

        Assert.True(warm.ExitCode == 0, warm.Out + warm.Error);
        Assert.Matches("1 tag: 1 in-sync", warm.Out);
        Assert.Equal([$"debug: HEAD ocidir://{first} manifests/1.0 -> 200 (from files)", $"debug: HEAD ocidir://{second} manifests/1.0 -> 200 (from files)"],
            warm.Error.Split('\n').Where(l => l.StartsWith("debug:", StringComparison.Ordinal)).Order());
        Assert.Empty(await _world.Upstream.RequestsAsync());
        Assert.Empty(await _world.Target.RequestsAsync());
    }

    [Fact]
    public async Task Validate_list_status_and_dry_run_name_the_layout_and_write_nothing_to_it()
    {
        var image = TestImage.Create("layout-status", ["linux/amd64"]);
        await image.PushAsync(_world.Upstream, "istio/app", "1.0");
        var layout = Path.Combine(_disk, "status");
        var config = Config("upstream.test/istio/app", $"ocidir://{layout}", "1.0");

        var validate = await _world.RunAsync(config, "Validate");
        var list = await _world.RunAsync(config, "List");
        var status = await _world.RunAsync(config, "Status");
        var dryRun = await _world.RunAsync(config, "DryRun");

        Assert.True(validate.ExitCode == 0, validate.Out + validate.Error);
        Assert.True(list.ExitCode == 0, list.Out + list.Error);
        Assert.Contains($"ocidir://{layout}", list.Out, StringComparison.Ordinal);
        Assert.Contains("missing", status.Out, StringComparison.Ordinal);
        Assert.True(dryRun.ExitCode == 0, dryRun.Out + dryRun.Error);
        Assert.Contains("would-copy", dryRun.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(layout));
    }

    [Fact]
    public async Task Cancelled_half_way_the_layout_names_only_complete_content_and_a_rerun_completes()
    {
        var kept = TestImage.Create("layout-kept", ["linux/amd64"]);
        var big = TestImage.Create("layout-cancel", ["linux/amd64", "linux/arm64"], [1024 * 1024, 1024 * 1024]);
        await kept.PushAsync(_world.Upstream, "istio/app", "1.0");
        await big.PushAsync(_world.Upstream, "istio/app", "2.0");
        var layout = Path.Combine(_disk, "cancel");
        Assert.Equal(0, (await _world.RunAsync(Config("upstream.test/istio/app", $"ocidir://{layout}", "1.0"), "SyncAll")).ExitCode);
        var config = Config("upstream.test/istio/app", $"ocidir://{layout}", "1.0", "2.0");
        using var ctrlC = new CancellationTokenSource();
        var blobGets = 0;
        _world.Proxy.Rule = (request, _) =>
        {
            // Some of 2.0's blobs are in the layout by now, one is half-way: stop there.
            if (request.Method == "GET" && request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal) && Interlocked.Increment(ref blobGets) == 3)
            {
                ctrlC.Cancel();
            }
            return null;
        };

        var cancelled = await CliRunner.RunAsync(["SyncAll", "--config", config, .. _world.Mappings], new Dictionary<string, string> { ["HOME"] = _disk }, cancellationToken: ctrlC.Token);

        Assert.Equal(130, cancelled.ExitCode);
        Assert.Equal(new Dictionary<string, string> { ["1.0"] = kept.Root.Digest }, LayoutFolder.Tags(layout));
        Assert.Empty(LayoutFolder.Incomplete(layout));
        Assert.Empty(Directory.GetFiles(layout, ".imagesync-*"));

        await RerunCompletesAsync(config, layout, kept, big);
    }

    [Fact]
    public async Task Killed_while_a_layer_is_being_written_the_layout_names_only_complete_content_and_a_rerun_completes()
    {
        var kept = TestImage.Create("layout-kill-kept", ["linux/amd64"]);
        var big = TestImage.Create("layout-kill", ["linux/amd64"], [4 * 1024 * 1024]);
        await kept.PushAsync(_world.Upstream, "istio/app", "1.0");
        await big.PushAsync(_world.Upstream, "istio/app", "2.0");
        var layout = Path.Combine(_disk, "killed");
        Assert.Equal(0, (await _world.RunAsync(Config("upstream.test/istio/app", $"ocidir://{layout}", "1.0"), "SyncAll")).ExitCode);
        var config = Config("upstream.test/istio/app", $"ocidir://{layout}", "1.0", "2.0");
        var layer = big.Blobs.Single(b => b.Content.Length == 4 * 1024 * 1024).Digest;
        var reading = new TaskCompletionSource();
        // The layer trickles in, so the kill lands while its bytes are going into the layout.
        _world.Proxy.Rule = (request, _) =>
        {
            if (request.Method == "GET" && request.Path.Value!.EndsWith(layer, StringComparison.Ordinal))
            {
                reading.TrySetResult();
                return new Fault.Trickle(1024 * 1024, 64 * 1024, TimeSpan.FromMilliseconds(100));
            }
            return null;
        };
        // A process of its own, killed with SIGKILL: no handler runs, nothing is cleaned up.
        var tool = Environment.GetEnvironmentVariable("IMAGE_SYNC_CLI") is { Length: > 0 } built ? built : AppContext.BaseDirectory;
        string[] args = ["SyncAll", "--config", config, .. _world.Mappings];
        // As CliRunner starts it: the managed build with dotnet, the native one (test.sh's) by itself.
        var start = File.Exists(Path.Combine(tool, "_build.dll"))
            ? new ProcessStartInfo("dotnet", [Path.Combine(tool, "_build.dll"), .. args])
            : new ProcessStartInfo(Path.Combine(tool, "_build"), args);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.Environment["HOME"] = _disk;
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await reading.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1));
        process.Kill();
        await process.WaitForExitAsync();

        Assert.Equal(new Dictionary<string, string> { ["1.0"] = kept.Root.Digest }, LayoutFolder.Tags(layout));
        Assert.Empty(LayoutFolder.Incomplete(layout));
        Assert.False(File.Exists(Path.Combine(layout, "blobs", "sha256", layer["sha256:".Length..])), "the half-written layer has its name");
        Assert.NotEmpty(Directory.GetFiles(layout, ".imagesync-upload-*.tmp"));

        await RerunCompletesAsync(config, layout, kept, big);
    }

    /// <summary>After a stopped run, the same run again: both tags named, every one of their blobs whole, skopeo reads 2.0.</summary>
    private async Task RerunCompletesAsync(string config, string layout, TestImage kept, TestImage big)
    {
        _world.Proxy.Rule = (_, _) => null;
        var rerun = await _world.RunAsync(config, "SyncAll");

        Assert.True(rerun.ExitCode == 0, rerun.Out + rerun.Error);
        Assert.Equal(new Dictionary<string, string> { ["1.0"] = kept.Root.Digest, ["2.0"] = big.Root.Digest }, LayoutFolder.Tags(layout));
        Assert.Empty(LayoutFolder.Incomplete(layout));
        Assert.Equal(big.Root.Digest, await LayoutFolder.SkopeoDigestAsync(layout, "2.0"));
    }
}
