using System.Net.Http.Json;
using System.Text.Json;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Kustomize;

/// <summary>
/// issue 14's first "done when": SyncAll on a copy of sail-operator's tests/e2e/samples/ (examples/sail-operator,
/// byte-exact from the vendored fixture) against three local registries standing in for registry.istio.io,
/// docker.io and quay.io, through --registry. kubectl kustomize is the oracle for what the e2e tests pull.
/// </summary>
public sealed class KustomizeSyncTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kz-sync-").FullName;
    private RegistryServer _istio = null!;
    private RegistryServer _docker = null!;
    private RegistryServer _quay = null!;

    public async Task InitializeAsync()
    {
        var servers = await Task.WhenAll(RegistryServer.StartAsync(), RegistryServer.StartAsync(), RegistryServer.StartAsync());
        (_istio, _docker, _quay) = (servers[0], servers[1], servers[2]);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_istio.DisposeAsync().AsTask(), _docker.DisposeAsync().AsTask(), _quay.DisposeAsync().AsTask());
        Directory.Delete(_dir, recursive: true);
    }

    private string[] Registries =>
        ["--registry", $"registry.istio.io={_istio.Url}", "--registry", $"docker.io={_docker.Url}", "--registry", $"quay.io={_quay.Url}"];

    private Task<CliRun> RunAsync(string config, params string[] args) =>
        CliRunner.RunAsync([.. args, "--config", config, .. Registries], new Dictionary<string, string> { ["HOME"] = _dir });

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
        var root = Path.Combine(_dir, "sail-operator");
        TestPaths.CopyDirectory(Path.Combine(TestPaths.RepositoryRoot, "examples", "sail-operator"), root);
        var config = Path.Combine(root, "image-sync-config.json");

        // The oracle: what the e2e tests pull, per kubectl kustomize.
        var printed = new List<string>();
        foreach (var sample in Directory.EnumerateDirectories(Path.Combine(root, "tests", "e2e", "samples")).Order(StringComparer.Ordinal))
        {
            printed.AddRange(await Kubectl.ImagesAsync(sample));
        }
        var ours = printed.Where(i => i.StartsWith("quay.io/sail-dev/", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["quay.io/sail-dev/examples-helloworld-v1:1.0", "quay.io/sail-dev/examples-helloworld-v2:1.0", "quay.io/sail-dev/go-httpbin:v2.15.0", "quay.io/sail-dev/tcp-echo-server:1.3"], ours);
        Assert.Contains("quay.io/curl/curl:8.16.0", printed);

        // Upstream: what the vendored samples name, on the registries they name.
        var pushed = new Dictionary<string, string>();
        foreach (var (registry, repository, tag) in new[]
        {
            (_istio, "release/examples-helloworld-v1", "1.0"), (_istio, "release/examples-helloworld-v2", "1.0"),
            (_istio, "release/tcp-echo-server", "1.3"), (_docker, "mccutchen/go-httpbin", "v2.15.0"), (_docker, "curlimages/curl", "8.16.0"),
        })
        {
            var image = TestImage.Create($"{repository}:{tag}", ["linux/amd64", "linux/arm64"]);
            await image.PushAsync(registry, repository, tag);
            pushed[$"{repository.Split('/')[^1]}:{tag}"] = image.Root.Digest;
        }
        await Task.WhenAll(_istio.ResetLogAsync(), _docker.ResetLogAsync(), _quay.ResetLogAsync());

        var run = await RunAsync(config, "SyncAll");
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("quay.io/curl/curl:8.16.0: maintained elsewhere, not mirrored", run.Out, StringComparison.Ordinal);

        // Every image kubectl prints under quay.io/sail-dev/ is in the target with upstream's digest, and nothing else is.
        foreach (var image in ours)
        {
            var repositoryAndTag = image["quay.io/".Length..];
            var upstreamKey = repositoryAndTag.Split('/')[^1];
            Assert.Equal(pushed[upstreamKey], await Skopeo.DigestAsync(_quay, repositoryAndTag));
        }
        Assert.Equal(ours.Select(i => i["quay.io/".Length..]), await CatalogAsync(_quay));
        Assert.DoesNotContain(await _quay.RequestsAsync(), r => r.Path.Contains("curl", StringComparison.Ordinal));
        Assert.DoesNotContain(await _docker.RequestsAsync(), r => r.Path.Contains("curl", StringComparison.Ordinal));

        await Task.WhenAll(_istio.ResetLogAsync(), _docker.ResetLogAsync(), _quay.ResetLogAsync());
        var rerun = await RunAsync(config, "SyncAll");
        Assert.True(rerun.ExitCode == 0, rerun.Out + rerun.Error);
        Assert.Matches("4 tags: 4 in-sync", rerun.Out);
        var upstreamRequests = (await _istio.RequestsAsync()).Concat(await _docker.RequestsAsync()).Select(r => $"{r.Method} {r.Path}").Order(StringComparer.Ordinal);
        Assert.Equal(
            ["HEAD /v2/mccutchen/go-httpbin/manifests/v2.15.0", "HEAD /v2/release/examples-helloworld-v1/manifests/1.0",
             "HEAD /v2/release/examples-helloworld-v2/manifests/1.0", "HEAD /v2/release/tcp-echo-server/manifests/1.3"],
            upstreamRequests);
        Assert.Equal(ours.Select(i => $"HEAD /v2/{i["quay.io/".Length..].Replace(":", "/manifests/", StringComparison.Ordinal)}"),
            (await _quay.RequestsAsync()).Select(r => $"{r.Method} {r.Path}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Status_List_and_a_shard_work_on_the_derived_list()
    {
        var root = Path.Combine(_dir, "sail-operator");
        TestPaths.CopyDirectory(Path.Combine(TestPaths.RepositoryRoot, "examples", "sail-operator"), root);
        var config = Path.Combine(root, "image-sync-config.json");

        var list = await RunAsync(config, "List");
        Assert.True(list.ExitCode == 0, list.Out + list.Error);
        Assert.Contains("tcp-echo-ipv6/tcp-echo-ipv6.yaml:56:16", list.Out, StringComparison.Ordinal);
        Assert.Contains("quay.io/curl/curl:8.16.0: maintained elsewhere, not mirrored", list.Out, StringComparison.Ordinal);

        var validate = await RunAsync(config, "Validate");
        Assert.Equal(0, validate.ExitCode);
        Assert.Contains("valid (4 images, 4 tags, 1 warning)", validate.Out, StringComparison.Ordinal);
        Assert.Contains("sleep/kustomization.yaml:6:11: warning: images: \"curlimages/curl\" matches no image", validate.Error, StringComparison.Ordinal);

        // Nothing upstream yet: Status says so for each derived tag, and the shards together hold the four images once.
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

    private static async Task<IReadOnlyList<string>> CatalogAsync(RegistryServer registry)
    {
        using var http = new HttpClient { BaseAddress = registry.Url };
        var catalog = await http.GetFromJsonAsync<JsonElement>("v2/_catalog");
        var result = new List<string>();
        foreach (var repository in catalog.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()!))
        {
            var tags = await http.GetFromJsonAsync<JsonElement>($"v2/{repository}/tags/list");
            result.AddRange(tags.GetProperty("tags").EnumerateArray().Select(t => $"{repository}:{t.GetString()}"));
        }
        return [.. result.Order(StringComparer.Ordinal)];
    }
}
