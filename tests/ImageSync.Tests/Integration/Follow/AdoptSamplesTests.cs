using System.Text;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Integration.Follow;

/// <summary>
/// AdoptSamples on sail-operator's checkout as it is (tests/e2e/samples/ at 328df99, vendored from Istio master):
/// one command writes the kustomize section and upstream_samples.files, matched by content from one archive.
/// </summary>
public sealed class AdoptSamplesTests : IAsyncLifetime, IDisposable
{
    private readonly DownstreamRepo _repo = new();
    private GitHubApiServer _github = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubApiServer.StartAsync("istio", "istio", new Dictionary<string, string> { ["master"] = TestPaths.IstioMaster });
        TestPaths.CopyDirectory(Path.Combine(TestPaths.SailOperator, "tests", "e2e", "samples"), Path.Combine(_repo.Path, "tests", "e2e", "samples"));
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    public void Dispose() => _repo.Dispose();

    private Task<CliRun> RunAsync(params string[] args) => CliRunner.RunAsync(
        [.. args, "--config", _repo.ConfigPath, "--github-api-url", _github.Url.ToString(), "--upstream-ref", "master"],
        new Dictionary<string, string> { ["HOME"] = _repo.Root });

    [Fact]
    public async Task A_checkout_without_a_configuration_gets_one_that_names_every_vendored_file_and_autoupdate_then_finds_nothing_to_do()
    {
        var run = await RunAsync("AdoptSamples");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Equal("""
            {
              "kustomize": {
                "paths": [
                  "tests/e2e/samples/"
                ],
                "targets": [
                  "quay.io/sail-dev/"
                ]
              },
              "upstream_samples": {
                "repository": "istio/istio",
                "ref": "master",
                "files": {
                  "tests/e2e/samples/helloworld/helloworld.yaml": "samples/helloworld/helloworld.yaml",
                  "tests/e2e/samples/httpbin/httpbin.yaml": "samples/httpbin/httpbin.yaml",
                  "tests/e2e/samples/sleep/sleep.yaml": "samples/sleep/sleep.yaml",
                  "tests/e2e/samples/tcp-echo-dual-stack/tcp-echo-dual-stack.yaml": "samples/tcp-echo/tcp-echo-dual-stack.yaml",
                  "tests/e2e/samples/tcp-echo-ipv4/tcp-echo-ipv4.yaml": "samples/tcp-echo/tcp-echo-ipv4.yaml",
                  "tests/e2e/samples/tcp-echo-ipv6/tcp-echo-ipv6.yaml": "samples/tcp-echo/tcp-echo-ipv6.yaml"
                }
              }
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal), File.ReadAllText(_repo.ConfigPath));
        Assert.Contains("note: quay.io/curl/curl (tests/e2e/samples/sleep/kustomization.yaml) is not under quay.io/sail-dev/", run.Out, StringComparison.Ordinal);
        Assert.Single(_github.Calls, c => c.Contains("/tarball/", StringComparison.Ordinal));

        var update = await RunAsync("AutoUpdate", "--dry-run");
        Assert.True(update.ExitCode == 0, update.Out + update.Error);
        Assert.Contains("Nothing to update", update.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_configuration_keeps_its_bytes_and_gains_the_two_sections()
    {
        const string before = "{\n    \"upstream_samples\": { \"repository\": \"istio/istio\" },\n    \"check_new_tags\": false\n}\n";
        _repo.Write("image-sync-config.json", before);

        var run = await RunAsync("AdoptSamples");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        var after = File.ReadAllText(_repo.ConfigPath);
        Assert.StartsWith("{\n    \"upstream_samples\": { \"repository\": \"istio/istio\",\n", after, StringComparison.Ordinal);
        Assert.Contains("\"tests/e2e/samples/sleep/sleep.yaml\": \"samples/sleep/sleep.yaml\"", after, StringComparison.Ordinal);
        Assert.EndsWith("\"check_new_tags\": false,\n    \"kustomize\": {\n      \"paths\": [\n        \"tests/e2e/samples/\"\n      ],\n      \"targets\": [\n        \"quay.io/sail-dev/\"\n      ]\n    }\n}\n", after, StringComparison.Ordinal);
        var validate = await RunAsync("Validate");
        Assert.True(validate.ExitCode == 0, validate.Out + validate.Error + after);
    }

    [Fact]
    public async Task A_checkout_whose_files_upstream_does_not_hold_writes_nothing_and_says_so()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_repo.Path, "tests"), "*.yaml", SearchOption.AllDirectories).Where(f => !f.EndsWith("kustomization.yaml", StringComparison.Ordinal)))
        {
            File.AppendAllText(file, "# ours\n", Encoding.UTF8);
        }

        var run = await RunAsync("AdoptSamples");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is a copy of a file at istio/istio@master; nothing written", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_repo.ConfigPath));
    }
}
