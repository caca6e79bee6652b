using ImageSync.Tests.Support;

namespace ImageSync.Tests.Hostile;

/// <summary>Vendored copies are written only where they are: a vendored path that is a link is refused before anything is written.</summary>
public sealed class VendoredWriteTests : IAsyncLifetime, IDisposable
{
    private readonly DownstreamRepo _repo = new();
    private GitHubApiServer _github = null!;

    public async Task InitializeAsync() => _github = await GitHubApiServer.StartAsync("istio", "istio", new Dictionary<string, string> { ["master"] = TestPaths.IstioMaster });

    public async Task DisposeAsync() => await _github.DisposeAsync();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task A_vendored_file_that_is_a_link_out_of_the_repository_is_refused_and_what_it_points_to_stays()
    {
        var outside = Path.Combine(_repo.Root, "outside.yaml");
        File.Copy(Path.Combine(TestPaths.IstioRelease("1.29.0"), "samples", "helloworld", "helloworld.yaml"), outside);
        var before = File.ReadAllBytes(outside);
        Directory.CreateDirectory(Path.Combine(_repo.Path, "e2e", "helloworld"));
        File.CreateSymbolicLink(Path.Combine(_repo.Path, "e2e", "helloworld", "helloworld.yaml"), outside);
        _repo.Write("e2e/helloworld/kustomization.yaml", "resources:\n- helloworld.yaml\nimages:\n- name: docker.io/istio/examples-helloworld-v1\n  newName: quay.io/m/examples-helloworld-v1\n");
        _repo.Write("image-sync-config.json", """
            {
              "kustomize": { "paths": ["e2e/"], "targets": ["quay.io/m/"] },
              "upstream_samples": { "files": { "e2e/helloworld/helloworld.yaml": "samples/helloworld/helloworld.yaml" } },
              "check_new_tags": false
            }
            """);
        var kustomization = File.ReadAllBytes(Path.Combine(_repo.Path, "e2e", "helloworld", "kustomization.yaml"));

        var run = await CliRunner.RunAsync(["AutoUpdate", "--config", _repo.ConfigPath, "--github-api-url", _github.Url.ToString()], new Dictionary<string, string> { ["HOME"] = _repo.Root });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("helloworld.yaml is a symbolic link; AutoUpdate writes only regular files", run.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(outside));
        Assert.Equal(kustomization, File.ReadAllBytes(Path.Combine(_repo.Path, "e2e", "helloworld", "kustomization.yaml")));
    }
}
