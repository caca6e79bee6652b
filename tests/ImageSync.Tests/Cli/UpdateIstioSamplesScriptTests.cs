using System.Diagnostics;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>
/// hack/update-istio-samples.sh, the drop-in for sail-operator's `make update-istio-samples`: HUB, --dry-run and the
/// other parameters, through the real ./build.sh, on a copy of examples/sail-operator against local registries.
/// </summary>
public sealed class UpdateIstioSamplesScriptTests : IAsyncLifetime
{
    private static readonly string Script = Path.Combine(TestPaths.RepositoryRoot, "hack", "update-istio-samples.sh");
    private SailOperatorWorld _world = null!;

    public async Task InitializeAsync() => _world = await SailOperatorWorld.StartAsync();

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Script, .. args]);
        start.Environment["CONFIG_FILE"] = _world.ConfigPath;
        start.Environment["HOME"] = _world.Root;
        start.Environment.Remove("HUB");
        start.Environment.Remove("GITHUB_STEP_SUMMARY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return ChildProcess.RunAsync(start, TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task Dry_run_then_the_mirror_with_the_default_HUB_and_nothing_for_another_HUB()
    {
        var help = await RunAsync(null, "--help");
        Assert.True(help.ExitCode == 0, help.Error);
        Assert.Contains("HUB", help.Out, StringComparison.Ordinal);

        var dryRun = await RunAsync(null, ["--dry-run", .. _world.Registries]);
        Assert.True(dryRun.ExitCode == 0, dryRun.Out + dryRun.Error);
        Assert.Contains("would-copy", dryRun.Out, StringComparison.Ordinal);
        Assert.Contains("quay.io/curl/curl:8.16.0: maintained elsewhere, not mirrored", dryRun.Out, StringComparison.Ordinal);
        Assert.Empty(await SailOperatorWorld.CatalogAsync(_world.Quay));

        var other = await RunAsync(new Dictionary<string, string> { ["HUB"] = "quay.io/someone-else" }, [.. _world.Registries]);
        Assert.True(other.ExitCode == 0, other.Out + other.Error);
        Assert.Contains("quay.io/sail-dev/go-httpbin:v2.15.0: maintained elsewhere, not mirrored", other.Out, StringComparison.Ordinal);
        Assert.Empty(await SailOperatorWorld.CatalogAsync(_world.Quay));

        var mirror = await RunAsync(null, [.. _world.Registries]);
        Assert.True(mirror.ExitCode == 0, mirror.Out + mirror.Error);
        Assert.Equal(
            ["sail-dev/examples-helloworld-v1:1.0", "sail-dev/examples-helloworld-v2:1.0", "sail-dev/go-httpbin:v2.15.0", "sail-dev/tcp-echo-server:1.3"],
            await SailOperatorWorld.CatalogAsync(_world.Quay));
        Assert.Equal(_world.Pushed["go-httpbin:v2.15.0"], await Skopeo.DigestAsync(_world.Quay, "sail-dev/go-httpbin:v2.15.0"));
    }

    [Fact]
    public async Task Without_a_configuration_it_says_what_to_add()
    {
        var run = await RunAsync(new Dictionary<string, string> { ["CONFIG_FILE"] = Path.Combine(_world.Root, "missing.json") });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("add one with a \"kustomize\" section", run.Error, StringComparison.Ordinal);
    }
}
