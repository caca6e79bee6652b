using System.Diagnostics;
using System.Text.RegularExpressions;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>
/// The guide's quick start (docs/IMAGE_SYNC.md, section 1), run as written by bash: its two registries, its config,
/// its six commands. What it cannot do here is replaced, and only that: the one internet step (docker.io) copies
/// from a local registry instead, the registries get free ports and a scratch folder of the test's own, apt-get is
/// skipped (the packages are installed), and ./build.sh runs the tool this test run built instead of compiling it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class QuickStartTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-quickstart-").FullName;
    private RegistryServer _public = null!;

    public async Task InitializeAsync() => _public = await RegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _public.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [GeneratedRegex(@"^(upstream: )?([0-9a-f]{64})  -$", RegexOptions.Multiline)]
    private static partial Regex DigestLine();

    [GeneratedRegex(@"^```sh\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    private static string QuickStart()
    {
        var guide = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "IMAGE_SYNC.md")).ReplaceLineEndings("\n");
        var start = guide.IndexOf("## 1. Quick start", StringComparison.Ordinal);
        var section = guide[start..guide.IndexOf("\n## 2.", start, StringComparison.Ordinal)];
        var blocks = ShellBlock().Matches(section).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, blocks.Count);
        return string.Join("\n", blocks);
    }

    /// <summary>A ./build.sh that starts the tool already built: the compiled one under test.sh, else this run's.</summary>
    private string Checkout()
    {
        var checkout = Directory.CreateDirectory(Path.Combine(_dir, "checkout")).FullName;
        var tool = Environment.GetEnvironmentVariable("IMAGE_SYNC_CLI") is { Length: > 0 } built
            ? File.Exists(Path.Combine(built, "_build.dll")) ? $"dotnet \"{Path.Combine(built, "_build.dll")}\"" : $"\"{Path.Combine(built, "_build")}\""
            : $"dotnet \"{Path.Combine(AppContext.BaseDirectory, "_build.dll")}\"";
        var script = Path.Combine(checkout, "build.sh");
        File.WriteAllText(script, $"#!/bin/sh\nexec {tool} \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return checkout;
    }

    [Fact]
    public async Task The_guides_quick_start_runs_as_written_and_mirrors_the_image_digest_for_digest()
    {
        var image = TestImage.Create("quickstart-busybox", ["linux/amd64", "linux/arm64"], [64 * 1024]);
        await image.PushAsync(_public, "library/busybox", "1.36");
        var (upstream, target) = (RegistryServer.FreePort(), RegistryServer.FreePort());
        var script = QuickStart()
            .Replace("sudo apt-get update && sudo apt-get install -y docker-registry skopeo", ": packages are installed", StringComparison.Ordinal)
            .Replace("/tmp/imagesync-demo", Path.Combine(_dir, "demo"), StringComparison.Ordinal)
            .Replace("docker://docker.io/library/busybox:1.36", $"--src-tls-verify=false docker://{_public.Host}/library/busybox:1.36", StringComparison.Ordinal)
            .Replace("5001", upstream.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("5002", target.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.DoesNotContain("docker.io", script, StringComparison.Ordinal);
        // The guide's own last words, "kill %1 %2", and the same if a step fails before them.
        var file = Path.Combine(_dir, "quickstart.sh");
        // The test's own last question before it: upstream's digest, to compare with the target's the guide prints.
        File.WriteAllText(file, "trap 'kill $(jobs -p) 2>/dev/null' EXIT\n" + script
            + $"\necho \"upstream: $(skopeo inspect --tls-verify=false --raw docker://127.0.0.1:{upstream}/library/busybox:1.36 | sha256sum)\"\nkill %1 %2\n");

        var start = new ProcessStartInfo("bash", [file]) { WorkingDirectory = Checkout() };
        start.Environment["HOME"] = _dir;
        var run = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(3));

        var all = run.Out + run.Error;
        Assert.Contains("valid (1 image, 1 tag)", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"busybox\s+│\s+1\.36\s+│\s+missing", run.Out);
        Assert.Matches(@"busybox\s+│\s+1\.36\s+│\s+would-copy", run.Out);
        Assert.Matches(@"busybox\s+│\s+1\.36\s+│\s+copied", run.Out);
        Assert.Matches(@"busybox\s+│\s+1\.36\s+│\s+in-sync", run.Out);
        var digests = DigestLine().Matches(run.Out).Select(m => m.Groups[2].Value).ToList();
        Assert.True(digests.Count == 2 && digests[0] == digests[1], all);
    }
}
