using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Follow;

/// <summary>
/// AutoSync on vendored samples: AutoUpdate proposes master's helloworld.yaml and the kustomization's move to
/// registry.istio.io, then SyncAll mirrors what the kustomization needs, still from docker.io until the pull request
/// is merged. Real registries: the upstream stands in for docker.io (istio/...) and registry.istio.io (release/...,
/// empty: nothing may be read from there yet), the target for quay.io.
/// </summary>
public sealed class VendoredAutoSyncTests : IAsyncLifetime, IDisposable
{
    private readonly DownstreamRepo _repo = new();
    private SyncWorld _world = null!;
    private GitHubApiServer _github = null!;

    public async Task InitializeAsync()
    {
        _world = await SyncWorld.StartAsync();
        _github = await GitHubApiServer.StartAsync("istio", "istio", TestPaths.IstioRefs);
    }

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        await _world.DisposeAsync();
    }

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task The_updated_kustomization_is_mirrored_and_its_move_waits_for_the_pull_request()
    {
        var v1 = TestImage.Create("helloworld-v1");
        var v2 = TestImage.Create("helloworld-v2");
        await v1.PushAsync(_world.Upstream, "istio/examples-helloworld-v1", "1.0");
        await v2.PushAsync(_world.Upstream, "istio/examples-helloworld-v2", "1.0");
        var kustomization = File.ReadAllText(Path.Combine(TestPaths.SailOperator, "tests", "e2e", "samples", "helloworld", "kustomization.yaml"));
        _repo.Write("e2e/helloworld/kustomization.yaml", kustomization.Replace("registry.istio.io/release/", "docker.io/istio/", StringComparison.Ordinal));
        File.Copy(Path.Combine(TestPaths.IstioRelease("1.29.0"), "samples", "helloworld", "helloworld.yaml"), Path.Combine(_repo.Path, "e2e", "helloworld", "helloworld.yaml"));
        _repo.Write("image-sync-config.json", """
            {
              "kustomize": { "paths": ["e2e/"], "targets": ["quay.io/sail-dev/"] },
              "upstream_samples": { "files": { "e2e/helloworld/helloworld.yaml": "samples/helloworld/helloworld.yaml" } },
              "check_new_tags": false
            }
            """);
        _repo.CommitAll("at istio 1.29.0");

        var run = await CliRunner.RunAsync(
            ["AutoSync", "--config", _repo.ConfigPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", "master", "--commit",
             "--registry", $"docker.io={_world.Upstream.Url}", "--registry", $"registry.istio.io={_world.Upstream.Url}", "--registry", $"quay.io={_world.Target.Url}"],
            new Dictionary<string, string> { ["HOME"] = _repo.Root });

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("registry.istio.io/release/examples-helloworld-v1", File.ReadAllText(Path.Combine(_repo.Path, "e2e", "helloworld", "kustomization.yaml")), StringComparison.Ordinal);
        Assert.Contains("examples-helloworld-v1: the move to registry.istio.io/release/examples-helloworld-v1 waits for its pull request; copied from docker.io/istio/examples-helloworld-v1 until then", run.Out, StringComparison.Ordinal);
        Assert.Equal(v1.Root.Digest, await Skopeo.DigestAsync(_world.Target, "sail-dev/examples-helloworld-v1:1.0"));
        Assert.Equal(v2.Root.Digest, await Skopeo.DigestAsync(_world.Target, "sail-dev/examples-helloworld-v2:1.0"));
        Assert.Matches(@"AutoSync\s+Succeeded", run.Out);
    }
}
