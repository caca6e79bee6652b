using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Kustomize;

/// <summary>
/// issue 14's first "done when": SyncAll on a copy of sail-operator's tests/e2e/samples/ (examples/sail-operator,
/// byte-exact from the vendored fixture) against three local registries standing in for registry.istio.io,
/// docker.io and quay.io, through --registry. kubectl kustomize is the oracle for what the e2e tests pull.
/// </summary>
public sealed class KustomizeSyncTests : IAsyncLifetime
{
    private SailOperatorWorld _world = null!;

    public async Task InitializeAsync() => _world = await SailOperatorWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<CliRun> RunAsync(string config, params string[] args) =>
        CliRunner.RunAsync([.. args, "--config", config, .. _world.Registries], new Dictionary<string, string> { ["HOME"] = _world.Root });

    [Fact]
    public void The_example_holds_the_vendored_samples_byte_for_byte()
    {
        var fixture = Path.Combine(TestPaths.SailOperator, "tests", "e2e", "samples");
        var example = Path.Combine(TestPaths.RepositoryRoot, "examples", "sail-operator", "tests", "e2e", "samples");
        var files = Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(fixture, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, Directory.EnumerateFiles(example, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(example, f)).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(fixture, f)), File.ReadAllBytes(Path.Combine(example, f))));
    }

    [Fact]
    public async Task SyncAll_mirrors_exactly_what_kubectl_kustomize_prints_under_the_targets_leaves_curl_alone_and_a_rerun_is_two_heads_per_tag()
    {
        var (root, config) = (_world.Root, _world.ConfigPath);

        // The oracle: what the e2e tests pull, per kubectl kustomize.
        var printed = new List<string>();
        foreach (var sample in Directory.EnumerateDirectories(Path.Combine(root, "tests", "e2e", "samples")).Order(StringComparer.Ordinal))
        {
            printed.AddRange(await Kubectl.ImagesAsync(sample));
        }
        var ours = printed.Where(i => i.StartsWith("quay.io/sail-dev/", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["quay.io/sail-dev/examples-helloworld-v1:1.0", "quay.io/sail-dev/examples-helloworld-v2:1.0", "quay.io/sail-dev/go-httpbin:v2.15.0", "quay.io/sail-dev/tcp-echo-server:1.3"], ours);
        Assert.Contains("quay.io/curl/curl:8.16.0", printed);

        var run = await RunAsync(config, "SyncAll");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("quay.io/curl/curl:8.16.0: maintained elsewhere, not mirrored", run.Out, StringComparison.Ordinal);

        // Every image kubectl prints under quay.io/sail-dev/ is in the target with upstream's digest, and nothing else is.
        foreach (var image in ours)
        {
            var repositoryAndTag = image["quay.io/".Length..];
            var upstreamKey = repositoryAndTag.Split('/')[^1];
            Assert.Equal(_world.Pushed[upstreamKey], await Skopeo.DigestAsync(_world.Quay, repositoryAndTag));
        }
        Assert.Equal(ours.Select(i => i["quay.io/".Length..]), await SailOperatorWorld.CatalogAsync(_world.Quay));
        Assert.DoesNotContain(await _world.Quay.RequestsAsync(), r => r.Path.Contains("curl", StringComparison.Ordinal));
        Assert.DoesNotContain(await _world.Docker.RequestsAsync(), r => r.Path.Contains("curl", StringComparison.Ordinal));

        await _world.ResetLogsAsync();
        var rerun = await RunAsync(config, "SyncAll");
        Assert.True(rerun.ExitCode == 0, rerun.Out + rerun.Error);
        Assert.Matches("4 tags: 4 in-sync", rerun.Out);
        var upstreamRequests = (await _world.Istio.RequestsAsync()).Concat(await _world.Docker.RequestsAsync()).Select(r => $"{r.Method} {r.Path}").Order(StringComparer.Ordinal);
        Assert.Equal(
            ["HEAD /v2/mccutchen/go-httpbin/manifests/v2.15.0", "HEAD /v2/release/examples-helloworld-v1/manifests/1.0",
             "HEAD /v2/release/examples-helloworld-v2/manifests/1.0", "HEAD /v2/release/tcp-echo-server/manifests/1.3"],
            upstreamRequests);
        Assert.Equal(ours.Select(i => $"HEAD /v2/{i["quay.io/".Length..].Replace(":", "/manifests/", StringComparison.Ordinal)}"),
            (await _world.Quay.RequestsAsync()).Select(r => $"{r.Method} {r.Path}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Status_List_and_a_shard_work_on_the_derived_list()
    {
        var config = _world.ConfigPath;

        var list = await RunAsync(config, "List");
        Assert.True(list.ExitCode == 0, list.Out + list.Error);
        Assert.Contains("tcp-echo-ipv6/tcp-echo-ipv6.yaml:56:16", list.Out, StringComparison.Ordinal);
        Assert.Contains("quay.io/curl/curl:8.16.0: maintained elsewhere, not mirrored", list.Out, StringComparison.Ordinal);

        var validate = await RunAsync(config, "Validate");
        Assert.Equal(0, validate.ExitCode);
        Assert.Contains("valid (4 images, 4 tags, 1 warning)", validate.Out, StringComparison.Ordinal);
        Assert.Contains("sleep/kustomization.yaml:6:11: warning: images: \"curlimages/curl\" matches no image", validate.Error, StringComparison.Ordinal);

        // Nothing in the target yet: Status says so for each derived tag, and the shards together hold the four images once.
        var status = await RunAsync(config, "Status");
        Assert.Equal(2, status.ExitCode);
        var shards = new List<string>();
        for (var k = 1; k <= 2; k++)
        {
            var shard = await RunAsync(config, "Status", "--shard", $"{k}/2");
            shards.Add(shard.Out);
        }
        foreach (var name in new[] { "examples-helloworld-v1", "examples-helloworld-v2", "go-httpbin", "tcp-echo-server" })
        {
            Assert.Contains(name, status.Out, StringComparison.Ordinal);
            Assert.Single(shards, s => s.Contains(name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Sync_of_one_derived_image_copies_only_it()
    {
        var run = await RunAsync(_world.ConfigPath, "Sync", "--image", "go-httpbin");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal(["sail-dev/go-httpbin:v2.15.0"], await SailOperatorWorld.CatalogAsync(_world.Quay));
        Assert.Equal(_world.Pushed["go-httpbin:v2.15.0"], await Skopeo.DigestAsync(_world.Quay, "sail-dev/go-httpbin:v2.15.0"));
    }

    [Fact]
    public async Task Kustomize_targets_from_the_command_line_replace_the_configurations()
    {
        var none = await RunAsync(_world.ConfigPath, "DryRun", "--kustomize-targets", "quay.io/elsewhere/");
        Assert.True(none.ExitCode == 0, none.Out + none.Error);
        Assert.Contains("quay.io/sail-dev/tcp-echo-server:1.3: maintained elsewhere, not mirrored", none.Out, StringComparison.Ordinal);

        var bad = await RunAsync(_world.ConfigPath, "List", "--kustomize-targets", "sail-dev");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("error: --kustomize-targets: \"sail-dev\" is neither a registry", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_GitHub_resources_as_sail_operator_wrote_them_until_April_2026_are_read_in_one_tarball_request()
    {
        // Before b84b70bdb (#1853) each resource was the raw URL of Istio's file; before bb32c18a7 (#1829) the names were docker.io/istio/...
        var samples = Path.Combine(_world.Root, "tests", "e2e", "samples");
        File.WriteAllText(Path.Combine(samples, "helloworld", "kustomization.yaml"),
            "resources:\n  - https://raw.githubusercontent.com/istio/istio/1.29.0/samples/helloworld/helloworld.yaml\nimages:\n  - name: docker.io/istio/examples-helloworld-v1\n    newName: quay.io/sail-dev/examples-helloworld-v1\n  - name: docker.io/istio/examples-helloworld-v2\n    newName: quay.io/sail-dev/examples-helloworld-v2");
        File.WriteAllText(Path.Combine(samples, "httpbin", "kustomization.yaml"),
            "resources:\n  - https://raw.githubusercontent.com/istio/istio/1.29.0/samples/httpbin/httpbin.yaml\nimages:\n  - name: docker.io/mccutchen/go-httpbin\n    newName: quay.io/sail-dev/go-httpbin");
        await using var github = await GitHubApiServer.StartAsync("istio", "istio", TestPaths.IstioRefs);

        var list = await RunAsync(_world.ConfigPath, "List", "--github-api-url", github.Url.ToString());

        Assert.True(list.ExitCode == 0, list.Out + list.Error);
        Assert.Contains("docker.io/istio/examples-helloworld-v1", list.Out, StringComparison.Ordinal);
        Assert.Contains("https://raw.githubusercontent.com/istio/istio/1.29.0/samples/httpbin/httpbin.yaml:56:16", list.Out.Replace("\n", "", StringComparison.Ordinal).Replace("│", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Single(github.Calls, c => c.Contains("tarball", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sharded_SyncAll_runs_and_Report_merges_them_over_the_derived_list()
    {
        var reports = Path.Combine(_world.Root, "reports");
        Directory.CreateDirectory(reports);
        for (var k = 1; k <= 2; k++)
        {
            var shard = await RunAsync(_world.ConfigPath, "SyncAll", "--shard", $"{k}/2", "--report", Path.Combine(reports, $"shard-{k}.json"));
            Assert.True(shard.ExitCode == 0, shard.Out + shard.Error);
        }
        Assert.Equal(4, (await SailOperatorWorld.CatalogAsync(_world.Quay)).Count);

        var merged = await CliRunner.RunAsync(["Report", "--merge", reports], new Dictionary<string, string> { ["HOME"] = _world.Root });
        Assert.True(merged.ExitCode == 0, merged.Out + merged.Error);
        Assert.Contains("2 reports merged", merged.Out, StringComparison.Ordinal);
        Assert.Matches("4 tags: 4 copied", merged.Out);
    }
}
