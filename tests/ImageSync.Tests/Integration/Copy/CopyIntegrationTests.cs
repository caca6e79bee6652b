using System.Text.Json;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Copy;

/// <summary>The copier against two real distribution 2.8 registries, checked with skopeo.</summary>
public sealed class CopyIntegrationTests : IAsyncLifetime
{
    private SyncWorld _world = null!;

    public async Task InitializeAsync() => _world = await SyncWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Copies_a_multi_platform_oci_index_whole_with_its_digest_and_a_rerun_is_two_heads_per_tag()
    {
        var image = TestImage.Create("oci-index", ["linux/amd64", "linux/arm64", "linux/s390x"]);
        await image.PushAsync(_world.Upstream, "istio/app", "1.0");
        await image.PushAsync(_world.Upstream, "istio/app", "latest");
        var config = _world.Config(("app", "istio/app", "mirror/app", ["1.0", "latest"], ""));

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:1.0"));
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/app:latest"));
        foreach (var child in image.Children)
        {
            Assert.Equal(child.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/app@{child.Digest}"));
        }

        await _world.Upstream.ResetLogAsync();
        await _world.Target.ResetLogAsync();
        var rerun = await _world.RunAsync(config, "SyncAll");

        Assert.Equal(0, rerun.ExitCode);
        Assert.Matches(@"2 tags: 2 in-sync", rerun.Out);
        Assert.Equal(["HEAD /v2/istio/app/manifests/1.0", "HEAD /v2/istio/app/manifests/latest"],
            (await _world.Upstream.RequestsAsync()).Select(r => $"{r.Method} {r.Path}").Order());
        Assert.Equal(["HEAD /v2/mirror/app/manifests/1.0", "HEAD /v2/mirror/app/manifests/latest"],
            (await _world.Target.RequestsAsync()).Select(r => $"{r.Method} {r.Path}").Order());
    }

    [Fact]
    public async Task Copies_a_docker_manifest_list_and_a_single_manifest_byte_for_byte()
    {
        var list = TestImage.Create("docker-list", format: ImageFormat.Docker);
        var single = TestImage.Create("single", format: ImageFormat.Docker, index: false);
        await list.PushAsync(_world.Upstream, "istio/list", "2.0");
        await single.PushAsync(_world.Upstream, "istio/single", "3.0");
        var config = _world.Config(
            ("list", "istio/list", "mirror/list", ["2.0"], ""),
            ("single", "istio/single", "mirror/single", ["3.0"], ""));

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(list.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/list:2.0"));
        Assert.Equal(single.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/single:3.0"));
    }

    [Fact]
    public async Task A_layer_shared_by_platforms_and_by_repositories_crosses_the_network_once_and_is_mounted_elsewhere()
    {
        var shared = TestImage.RandomBytes("shared-base", 256 * 1024);
        var one = TestImage.Create("share-one", sharedBase: shared);
        var two = TestImage.Create("share-two", sharedBase: shared);
        await one.PushAsync(_world.Upstream, "istio/one", "1.0");
        await two.PushAsync(_world.Upstream, "istio/two", "1.0");
        var config = _world.Config(
            ("one", "istio/one", "mirror/one", ["1.0"], ""),
            ("two", "istio/two", "mirror/two", ["1.0"], ""));
        await _world.Target.ResetLogAsync();

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var sharedDigest = one.Blobs.Single(b => b.Content.SequenceEqual(shared)).Digest;
        var requests = await _world.Target.RequestsAsync();
        var uploads = requests.Where(r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal) && r.Path.Contains(Uri.EscapeDataString(sharedDigest), StringComparison.Ordinal)).ToList();
        Assert.Single(uploads);
        Assert.Contains(requests, r => r.Method == "POST" && r.Path.Contains("mount=" + Uri.EscapeDataString(sharedDigest), StringComparison.Ordinal) && r.Status == 201);
        Assert.Equal(one.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/one:1.0"));
        Assert.Equal(two.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/two:1.0"));
    }

    [Fact]
    public async Task Within_one_registry_blobs_are_mounted_not_uploaded()
    {
        var image = TestImage.Create("same-registry");
        await image.PushAsync(_world.Upstream, "istio/here", "1.0");
        var config = _world.File("same.json", """
            { "images": [ { "name": "here", "upstream": "upstream.test/istio/here", "target": "upstream.test/mirror/here", "tags": ["1.0"] } ] }
            """);
        await _world.Upstream.ResetLogAsync();

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var requests = await _world.Upstream.RequestsAsync();
        Assert.DoesNotContain(requests, r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal));
        Assert.Equal(image.Blobs.Count, requests.Count(r => r.Method == "POST" && r.Path.Contains("mount=", StringComparison.Ordinal) && r.Status == 201));
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Upstream, "mirror/here:1.0"));
    }

    [Fact]
    public async Task DryRun_reads_both_sides_makes_no_write_request_and_reports_sizes()
    {
        var image = TestImage.Create("dry");
        await image.PushAsync(_world.Upstream, "istio/dry", "1.0");
        var config = _world.Config(("dry", "istio/dry", "mirror/dry", ["1.0"], ""));
        await _world.Target.ResetLogAsync();
        var report = _world.File("dry-report.json", "");

        var run = await _world.RunAsync(config, "DryRun", "--report", report);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var requests = await _world.Target.RequestsAsync();
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Contains(r.Method, new[] { "GET", "HEAD" }));
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/dry:1.0"));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var result = json.RootElement.GetProperty("results")[0];
        Assert.Equal("would-copy", result.GetProperty("action").GetString());
        Assert.Equal(image.UniqueBlobBytes, result.GetProperty("bytes").GetInt64());
        Assert.Equal(image.Root.Digest, result.GetProperty("sourceDigest").GetString());

        var viaFlag = await _world.RunAsync(config, "SyncAll", "--dry-run");
        Assert.Equal(0, viaFlag.ExitCode);
        Assert.All(await _world.Target.RequestsAsync(), r => Assert.Contains(r.Method, new[] { "GET", "HEAD" }));
    }

    [Fact]
    public async Task The_plan_is_the_same_run_after_run_and_its_bytes_are_what_the_copy_then_uploads()
    {
        var shared = TestImage.RandomBytes("plan-base", 300 * 1024);
        var one = TestImage.Create("plan-one", sharedBase: shared);
        var two = TestImage.Create("plan-two", sharedBase: shared);
        var three = TestImage.Create("plan-three", sharedBase: shared);
        await one.PushAsync(_world.Upstream, "istio/plan-a", "1.0");
        await two.PushAsync(_world.Upstream, "istio/plan-a", "1.1");
        await three.PushAsync(_world.Upstream, "istio/plan-b", "1.0");
        // Two tags of one repository, and a second repository, all on one base layer: a copy uploads it once and mounts it.
        var config = _world.Config(("plan-a", "istio/plan-a", "mirror/plan-a", ["1.0", "1.1"], ""), ("plan-b", "istio/plan-b", "mirror/plan-b", ["1.0"], ""));

        var plans = new List<long[]>();
        for (var i = 0; i < 3; i++)
        {
            var report = _world.File($"plan-{i}.json", "");
            Assert.Equal(0, (await _world.RunAsync(config, "DryRun", "--report", report)).ExitCode);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
            plans.Add([.. json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("bytes").GetInt64())]);
        }
        await _world.Target.ResetLogAsync();
        var copied = _world.File("plan-copy.json", "");
        var sync = await _world.RunAsync(config, "SyncAll", "--report", copied);

        Assert.True(sync.ExitCode == 0, sync.Out + sync.Error);
        Assert.All(plans, p => Assert.Equal(plans[0], p));
        var sizes = new[] { one, two, three }.SelectMany(i => i.Blobs).GroupBy(b => b.Digest).ToDictionary(g => g.Key, g => (long)g.First().Content.Length);
        var uploaded = (await _world.Target.RequestsAsync())
            .Where(r => r.Method == "PUT" && r.Path.Contains("/blobs/uploads/", StringComparison.Ordinal))
            .Sum(r => sizes[Uri.UnescapeDataString(r.Path.Split("digest=")[1].Split('&')[0])]);
        Assert.Equal(sizes.Values.Sum(), uploaded);
        Assert.Equal(uploaded, plans[0].Sum());
        using var copyJson = JsonDocument.Parse(await File.ReadAllTextAsync(copied));
        Assert.Equal(uploaded, copyJson.RootElement.GetProperty("results").EnumerateArray().Sum(r => r.GetProperty("bytes").GetInt64()));
    }

    [Fact]
    public async Task An_immutable_tag_that_differs_is_a_conflict_and_the_target_is_left_untouched()
    {
        var upstream = TestImage.Create("immutable-upstream");
        var existing = TestImage.Create("immutable-existing");
        await upstream.PushAsync(_world.Upstream, "istio/imm", "1.0");
        await existing.PushAsync(_world.Target, "mirror/imm", "1.0");
        var config = _world.Config(("imm", "istio/imm", "mirror/imm", ["1.0"], "\"immutable_tags\": true"));
        await _world.Target.ResetLogAsync();
        var report = _world.File("conflict.json", "");

        var run = await _world.RunAsync(config, "SyncAll", "--report", report);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("conflict", run.Out, StringComparison.Ordinal);
        Assert.All(await _world.Target.RequestsAsync(), r => Assert.Contains(r.Method, new[] { "GET", "HEAD" }));
        Assert.Equal(existing.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/imm:1.0"));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var result = json.RootElement.GetProperty("results")[0];
        Assert.Equal("conflict", result.GetProperty("action").GetString());
        Assert.Equal(existing.Root.Digest, result.GetProperty("targetDigestBefore").GetString());
        Assert.Equal(existing.Root.Digest, result.GetProperty("targetDigestAfter").GetString());

        var status = await _world.RunAsync(config, "Status");
        Assert.Equal(2, status.ExitCode);
    }

    [Fact]
    public async Task A_mutable_tag_that_differs_is_overwritten()
    {
        var upstream = TestImage.Create("mutable-upstream");
        await TestImage.Create("mutable-old").PushAsync(_world.Target, "mirror/mut", "latest");
        await upstream.PushAsync(_world.Upstream, "istio/mut", "latest");
        var config = _world.Config(("mut", "istio/mut", "mirror/mut", ["latest"], ""));

        Assert.Equal(2, (await _world.RunAsync(config, "Status")).ExitCode);
        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(upstream.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/mut:latest"));
        Assert.Equal(0, (await _world.RunAsync(config, "Status")).ExitCode);
    }

    [Fact]
    public async Task One_platform_is_written_as_that_manifest_and_several_as_a_new_index()
    {
        var image = TestImage.Create("platforms", ["linux/amd64", "linux/arm64/v8", "linux/s390x"]);
        await image.PushAsync(_world.Upstream, "istio/plat", "1.0");
        var config = _world.Config(
            ("one", "istio/plat", "mirror/plat-one", ["1.0"], "\"platforms\": [\"linux/arm64\"]"),
            ("two", "istio/plat", "mirror/plat-two", ["1.0"], "\"platforms\": [\"linux/amd64\", \"linux/s390x\"]"));

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Children[1].Digest, await Skopeo.DigestAsync(_world.Target, "mirror/plat-one:1.0"));
        var raw = await RegistryServer.RunAsync("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{_world.Target.Host}/mirror/plat-two:1.0");
        using var index = JsonDocument.Parse(raw);
        Assert.Equal([image.Children[0].Digest, image.Children[2].Digest],
            index.RootElement.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()));

        var rerun = await _world.RunAsync(config, "Status");
        Assert.True(rerun.ExitCode == 0, rerun.Out);
    }

    [Fact]
    public async Task A_required_platform_missing_upstream_fails_the_tag_and_writes_nothing()
    {
        var image = TestImage.Create("required", ["linux/amd64"]);
        await image.PushAsync(_world.Upstream, "istio/req", "1.0");
        var config = _world.Config(("req", "istio/req", "mirror/req", ["1.0"], "\"required_platforms\": [\"linux/arm64\"]"));
        await _world.Target.ResetLogAsync();

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("upstream lacks required platform linux/arm64 (it has linux/amd64)", run.Out, StringComparison.Ordinal);
        Assert.All(await _world.Target.RequestsAsync(), r => Assert.Contains(r.Method, new[] { "GET", "HEAD" }));
    }

    [Fact]
    public async Task Cosign_signatures_travel_with_the_digest_they_sign()
    {
        var image = TestImage.Create("signed");
        await image.PushAsync(_world.Upstream, "istio/signed", "1.0");
        var signature = TestImage.Create("signature", index: false);
        var sigTag = image.Root.Digest.Replace(":", "-", StringComparison.Ordinal) + ".sig";
        await signature.PushAsync(_world.Upstream, "istio/signed", sigTag);
        var referrers = TestImage.Create("referrers-fallback", ["linux/amd64"]);
        var fallbackTag = image.Root.Digest.Replace(":", "-", StringComparison.Ordinal);
        await referrers.PushAsync(_world.Upstream, "istio/signed", fallbackTag);
        var config = _world.Config(("signed", "istio/signed", "mirror/signed", ["1.0"], ""));

        var run = await _world.RunAsync(config, "SyncAll");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(signature.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/signed:{sigTag}"));
        Assert.Equal(referrers.Root.Digest, await Skopeo.DigestAsync(_world.Target, $"mirror/signed:{fallbackTag}"));

        var other = _world.Config(("signed", "istio/signed", "mirror/unsigned", ["1.0"], ""));
        Assert.Equal(0, (await _world.RunAsync(other, "SyncAll", "--no-signatures")).ExitCode);
        Assert.Null(await Skopeo.DigestAsync(_world.Target, $"mirror/unsigned:{sigTag}"));
    }

    [Fact]
    public async Task A_missing_upstream_tag_is_reported_and_the_others_still_sync()
    {
        var image = TestImage.Create("partial");
        await image.PushAsync(_world.Upstream, "istio/partial", "1.0");
        var config = _world.Config(("partial", "istio/partial", "mirror/partial", ["0.9", "1.0"], ""));
        var report = _world.File("partial.json", "");
        var stepSummary = _world.File("step-summary.md", "");

        var run = await _world.RunWithEnvironmentAsync(config, new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = stepSummary }, "SyncAll", "--report", report);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/partial:1.0"));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal(["upstream-missing", "copied"], json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("action").GetString()));
        Assert.Equal(1, json.RootElement.GetProperty("summary").GetProperty("copied").GetInt32());
        var markdown = await File.ReadAllTextAsync(stepSummary);
        Assert.Contains("| partial | 0.9 | upstream-missing |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| partial | 1.0 | copied | `{image.Root.Digest}` |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_takes_one_image_or_one_tag()
    {
        var image = TestImage.Create("one-tag");
        await image.PushAsync(_world.Upstream, "istio/onetag", "1.0");
        await image.PushAsync(_world.Upstream, "istio/onetag", "2.0");
        var config = _world.Config(("onetag", "istio/onetag", "mirror/onetag", ["1.0", "2.0"], ""));

        var run = await _world.RunAsync(config, "Sync", "--image", "onetag", "--tag", "2.0");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(image.Root.Digest, await Skopeo.DigestAsync(_world.Target, "mirror/onetag:2.0"));
        Assert.Null(await Skopeo.DigestAsync(_world.Target, "mirror/onetag:1.0"));

        var noImage = await _world.RunAsync(config, "Sync");
        Assert.Equal(1, noImage.ExitCode);
        Assert.Contains("Sync needs --image NAME", noImage.Error, StringComparison.Ordinal);
        var typo = await _world.RunAsync(config, "Sync", "--image", "onetg");
        Assert.Contains("no image \"onetg\"", typo.Error, StringComparison.Ordinal);
        Assert.Contains("did you mean \"onetag\"", typo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_external_images_format_copies_amd64_only_retags_a_digest_and_never_overwrites()
    {
        var multi = TestImage.Create("ext-multi", ["linux/amd64", "linux/arm64"]);
        var pinned = TestImage.Create("ext-pinned");
        await multi.PushAsync(_world.Upstream, "bitnami/exporter", "0.8.0");
        await pinned.PushAsync(_world.Upstream, "library/busybox", "whatever");
        var images = _world.File("external-images.yaml", $"""
            images:
            - source: "upstream.test/bitnami/exporter:0.8.0"
              amd64Only: true
            - source: "upstream.test/library/busybox@{pinned.Root.Digest}"
              tag: "1.32.0-v1"
            """);
        var env = new Dictionary<string, string>
        {
            ["SYNCER_IMAGES_FILE"] = images,
            ["SYNCER_TARGET_REPO_PREFIX"] = "target.test/external/",
            ["HOME"] = Path.GetTempPath(),
        };
        string[] mappings = ["--registry", $"upstream.test={_world.Upstream.Url}", "--registry", $"target.test={_world.Target.Url}"];

        var run = await CliRunner.RunAsync(["SyncAll", .. mappings], env);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(multi.Children[0].Digest, await Skopeo.DigestAsync(_world.Target, "external/upstream.test/bitnami/exporter:0.8.0"));
        Assert.Equal(pinned.Root.Digest, await Skopeo.DigestAsync(_world.Target, "external/upstream.test/library/busybox:1.32.0-v1"));

        // Upstream moves the tag; the target keeps what it had and the run says conflict.
        await TestImage.Create("ext-moved", ["linux/amd64"]).PushAsync(_world.Upstream, "bitnami/exporter", "0.8.0");
        var again = await CliRunner.RunAsync(["SyncAll", .. mappings], env);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("immutable tags are never overwritten", again.Out, StringComparison.Ordinal);
        Assert.Equal(multi.Children[0].Digest, await Skopeo.DigestAsync(_world.Target, "external/upstream.test/bitnami/exporter:0.8.0"));
    }

    [Fact]
    public async Task Status_is_an_error_when_a_registry_cannot_be_reached()
    {
        var config = _world.File("unreachable.json", $$"""
            { "images": [ { "name": "x", "upstream": "upstream.test/istio/x", "target": "nowhere.test/x", "tags": ["1.0"] } ],
              "registries": { "nowhere.test": { "url": "http://127.0.0.1:{{RegistryServer.FreePort()}}" } } }
            """);
        await TestImage.Create("unreachable").PushAsync(_world.Upstream, "istio/x", "1.0");

        var run = await CliRunner.RunAsync(["Status", "--config", config, "--registry", $"upstream.test={_world.Upstream.Url}", "--retries", "1"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"nowhere\.test \(127\.0\.0\.1:\d+\): connection refused \(gave up after 1 retry\)", run.Out);
    }
}
