using System.Diagnostics;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>
/// hack/image_sync/sync-images.sh, as sail-operator's users call it: every command of the original, through the real
/// ./build.sh, against real registries and the GitHub stand-in. The first command compiles the tool; the others
/// reuse that build.
/// </summary>
public sealed class SyncImagesScriptTests : IAsyncLifetime, IDisposable
{
    private const string Target = "quay.io/sail-dev/examples-tcp-echo-server";
    private static readonly string Script = Path.Combine(TestPaths.RepositoryRoot, "hack", "image_sync", "sync-images.sh");
    private SyncWorld _world = null!;
    private GitHubApiServer _github = null!;
    private readonly DownstreamRepo _repo = new();
    private TestImage _pinned = null!;
    private TestImage _unlisted = null!;

    public async Task InitializeAsync()
    {
        _world = await SyncWorld.StartAsync();
        _github = await GitHubApiServer.StartAsync("istio", "istio", TestPaths.IstioRefs);
        _pinned = TestImage.Create("script-1.2", ["linux/amd64"]);
        _unlisted = TestImage.Create("script-1.1", ["linux/amd64"]);
        await _pinned.PushAsync(_world.Upstream, "istio/tcp-echo-server", "1.2");
        await _unlisted.PushAsync(_world.Upstream, "istio/tcp-echo-server", "1.1");
        await TestImage.Create("script-1.3", ["linux/amd64"]).PushAsync(_world.Upstream, "istio/tcp-echo-server", "1.3");
        _repo.Write("image-sync-config.json", $$"""
            { "images": [ { "name": "examples-tcp-echo-server", "upstream": "docker.io/istio/tcp-echo-server", "target": "{{Target}}", "tags": ["1.2"],
                            "sample": "samples/tcp-echo/tcp-echo-ipv4.yaml" } ] }
            """);
        _repo.Write("samples/tcp-echo/tcp-echo.yaml", $"image: {Target}:1.2\n");
        _repo.CommitAll("downstream");
    }

    public async Task DisposeAsync()
    {
        await _github.DisposeAsync();
        await _world.DisposeAsync();
    }

    public void Dispose() => _repo.Dispose();

    private string[] Registries => ["--registry", $"docker.io={_world.Upstream.Url}", "--registry", $"quay.io={_world.Target.Url}"];

    private string[] GitHub => ["--github-api-url", _github.Url.ToString(), "--upstream-ref", "1.29.0", "--samples", _repo.SamplesPath];

    private Task<CliRun> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash", [Script, .. args]);
        start.Environment["CONFIG_FILE"] = _repo.ConfigPath;
        start.Environment["HOME"] = _repo.Root;
        start.Environment.Remove("GITHUB_TOKEN");
        start.Environment.Remove("GITHUB_STEP_SUMMARY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return ChildProcess.RunAsync(start, TimeSpan.FromMinutes(5));
    }

    private Task<CliRun> RunAsync(params string[] args) => RunAsync(null, args);

    [Fact]
    public async Task Every_command_of_the_original_script_works()
    {
        var help = await RunAsync("help");
        Assert.True(help.ExitCode == 0, help.Error);
        Assert.Contains("test-extract", help.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Targets:", help.Out, StringComparison.Ordinal);

        var deps = await RunAsync("check-deps");
        Assert.True(deps.ExitCode == 0, deps.Error);
        Assert.Matches(@"dotnet: SDK 10\.\S+ \(ok\)", deps.Out);
        Assert.Matches(@"C compiler: (/\S+ \(ok: the tool is compiled ahead of time\)|none \(optional;)", deps.Out);

        // The first command that runs the tool built it; from here on, ./build.sh must not compile again.
        var stamp = Path.Combine(TestPaths.RepositoryRoot, ".artifacts", "build", ".built");
        var validate = await RunAsync("validate");
        var built = File.GetLastWriteTimeUtc(stamp);
        Assert.True(validate.ExitCode == 0, validate.Out + validate.Error);
        Assert.Contains("valid (1 image, 1 tag)", validate.Out, StringComparison.Ordinal);

        // A fresh checkout (or a cache restored into one) gives every file a new time and the same contents: the
        // stamp compares contents, so that is no reason to compile.
        File.SetLastWriteTimeUtc(Path.Combine(TestPaths.RepositoryRoot, "build", "Program.cs"), DateTime.UtcNow);

        var list = await RunAsync("list");
        Assert.Contains("examples-tcp-echo-server", list.Out, StringComparison.Ordinal);

        var status = await RunAsync(["status", "--debug", .. Registries]);
        Assert.True(status.ExitCode == 2, status.Out + status.Error);
        Assert.Contains("missing", status.Out, StringComparison.Ordinal);
        Assert.Contains("debug: HEAD", status.Error, StringComparison.Ordinal);

        var dryRun = await RunAsync(["dry-run", .. Registries]);
        Assert.True(dryRun.ExitCode == 0, dryRun.Out + dryRun.Error);
        Assert.Contains("would-copy", dryRun.Out, StringComparison.Ordinal);

        var syncUnlisted = await RunAsync(["sync", "examples-tcp-echo-server", "1.1", .. Registries]);
        Assert.True(syncUnlisted.ExitCode == 0, syncUnlisted.Out + syncUnlisted.Error);
        Assert.Contains("lists no tag \"1.1\"", syncUnlisted.Out, StringComparison.Ordinal);
        Assert.Equal(_unlisted.Root.Digest, await Skopeo.DigestAsync(_world.Target, "sail-dev/examples-tcp-echo-server:1.1"));

        var syncAll = await RunAsync(["sync-all", .. Registries]);
        Assert.True(syncAll.ExitCode == 0, syncAll.Out + syncAll.Error);
        Assert.Equal(_pinned.Root.Digest, await Skopeo.DigestAsync(_world.Target, "sail-dev/examples-tcp-echo-server:1.2"));

        var discover = await RunAsync(["discover", "examples-tcp-echo-server", "2", .. Registries]);
        Assert.True(discover.ExitCode == 0, discover.Out + discover.Error);
        Assert.Contains("newest 2 of 3 tags", discover.Out, StringComparison.Ordinal);

        var config = await File.ReadAllTextAsync(_repo.ConfigPath);
        var extract = await RunAsync(["test-extract", .. GitHub]);
        Assert.True(extract.ExitCode == 0, extract.Out + extract.Error);
        Assert.Contains("samples/tcp-echo/tcp-echo-ipv4.yaml:56", extract.Out, StringComparison.Ordinal);
        Assert.Equal(config, await File.ReadAllTextAsync(_repo.ConfigPath));

        var update = await RunAsync(["auto-update", .. GitHub]);
        Assert.True(update.ExitCode == 0, update.Out + update.Error);
        Assert.Contains("\"1.3\"", await File.ReadAllTextAsync(_repo.ConfigPath), StringComparison.Ordinal);

        var autoSync = await RunAsync(["auto-sync", .. GitHub, .. Registries]);
        Assert.True(autoSync.ExitCode == 0, autoSync.Out + autoSync.Error);
        Assert.Matches(@"AutoSync\s+Succeeded", autoSync.Out);

        Assert.Equal(built, File.GetLastWriteTimeUtc(stamp));

        var unknown = await RunAsync("frobnicate");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown command \"frobnicate\"", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_originals_config_path_is_the_default_when_that_file_exists()
    {
        var other = Directory.CreateTempSubdirectory("imagesync-sail-layout-").FullName;
        Directory.CreateDirectory(Path.Combine(other, "hack", "image_sync"));
        await File.WriteAllTextAsync(Path.Combine(other, "hack", "image_sync", "image-sync-config.json"),
            """{ "images": [ { "name": "from-hack-folder", "upstream": "docker.io/istio/x", "target": "quay.io/x/x", "tags": ["1.0"] } ] }""");

        var list = await RunAsync(new Dictionary<string, string> { ["CONFIG_FILE"] = "", ["IMAGE_SYNC_ROOT"] = other }, "list");

        Assert.True(list.ExitCode == 0, list.Out + list.Error);
        Assert.Contains("from-hack-folder", list.Out, StringComparison.Ordinal);
        Directory.Delete(other, recursive: true);
    }
}
