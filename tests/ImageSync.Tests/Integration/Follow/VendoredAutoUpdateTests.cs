using System.Diagnostics;
using System.Text;
using ImageSync.Tests.Support;
using LibGit2Sharp;

namespace ImageSync.Tests.Integration.Follow;

/// <summary>
/// AutoUpdate for sail-operator's layout today: Istio's samples vendored byte-exact under tests/e2e/samples/, each
/// folder's kustomization mapping the upstream name to quay.io/sail-dev/. The checkout is sail-operator's as it was
/// at Istio 1.29.0 (vendored files 1.29.0's, names docker.io/istio/...); upstream is Istio master, served by the
/// GitHub stand-in; the result must be what sail-operator committed by hand at 328df99 (#1829, #1853).
/// </summary>
public sealed class VendoredAutoUpdateTests : IAsyncLifetime, IDisposable
{
    private const string Token = "ghp_testtoken0123456789abcdef";
    private const string Samples = "tests/e2e/samples";

    /// <summary>sail-operator's vendored file and Istio's path for it, as its tools/update_deps.sh fetches them.</summary>
    private static readonly (string Vendored, string Upstream)[] Files =
    [
        ("helloworld/helloworld.yaml", "samples/helloworld/helloworld.yaml"),
        ("httpbin/httpbin.yaml", "samples/httpbin/httpbin.yaml"),
        ("sleep/sleep.yaml", "samples/sleep/sleep.yaml"),
        ("tcp-echo-dual-stack/tcp-echo-dual-stack.yaml", "samples/tcp-echo/tcp-echo-dual-stack.yaml"),
        ("tcp-echo-ipv4/tcp-echo-ipv4.yaml", "samples/tcp-echo/tcp-echo-ipv4.yaml"),
        ("tcp-echo-ipv6/tcp-echo-ipv6.yaml", "samples/tcp-echo/tcp-echo-ipv6.yaml"),
    ];

    private readonly DownstreamRepo _repo = new();
    private GitHubApiServer _github = null!;

    public async Task InitializeAsync() => _github = await GitHubApiServer.StartAsync("istio", "istio", new Dictionary<string, string>
    {
        ["master"] = TestPaths.IstioMaster,
        ["release-1.29"] = TestPaths.IstioRelease("1.29.0"),
    });

    public async Task DisposeAsync() => await _github.DisposeAsync();

    public void Dispose() => _repo.Dispose();

    private static string Fixture => Path.Combine(TestPaths.SailOperator, Samples);

    /// <summary>sail-operator's tests/e2e/samples/ as it was at Istio 1.29.0, and a configuration naming it.</summary>
    private void Seed(string extraConfig = "")
    {
        TestPaths.CopyDirectory(Fixture, Path.Combine(_repo.Path, Samples));
        foreach (var (vendored, upstream) in Files)
        {
            File.Copy(Path.Combine(TestPaths.IstioRelease("1.29.0"), upstream), Path.Combine(_repo.Path, Samples, vendored), overwrite: true);
        }
        foreach (var kustomization in Directory.EnumerateFiles(Path.Combine(_repo.Path, Samples), "kustomization.yaml", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(kustomization);
            File.WriteAllBytes(kustomization, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("registry.istio.io/release/", "docker.io/istio/", StringComparison.Ordinal)));
        }
        var files = string.Join(",\n", Files.Select(f => $"      \"{Samples}/{f.Vendored}\": \"{f.Upstream}\""));
        _repo.Write("image-sync-config.json", $$"""
            {
              "kustomize": { "paths": ["{{Samples}}/"], "targets": ["quay.io/sail-dev/"] },
              "upstream_samples": {
                "repository": "istio/istio",
                "files": {
            {{files}}
                }
              },{{extraConfig}}
              "check_new_tags": false
            }

            """);
        _repo.CommitAll("sail-operator at istio 1.29.0");
    }

    private Task<CliRun> AutoUpdateAsync(IReadOnlyDictionary<string, string>? environment, params string[] extra)
    {
        var env = new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token, ["GITHUB_REPOSITORY"] = "istio-ecosystem/sail-operator", ["HOME"] = _repo.Root };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }
        return CliRunner.RunAsync(["AutoUpdate", "--config", _repo.ConfigPath, "--github-api-url", _github.Url.ToString(), "--git-author", "Sync Bot <bot@example.com>", .. extra], env);
    }

    [Fact]
    public async Task From_istio_1_29_to_master_the_vendored_files_become_masters_bytes_and_the_kustomizations_follow_the_move()
    {
        Seed();

        var run = await AutoUpdateAsync(null, "--upstream-ref", "master", "--pull-request");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        // Every file under tests/e2e/samples/ is what sail-operator committed at 328df99: the vendored copies are
        // master's bytes, and the kustomizations name registry.istio.io/release/... with their bytes otherwise kept
        // (no final newline).
        foreach (var file in Directory.EnumerateFiles(Fixture, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Fixture, file);
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_repo.Path, Samples, relative))), $"{relative} differs from sail-operator's");
        }
        using (var repo = _repo.Open())
        {
            var commit = repo.Head.Tip;
            var changed = repo.Diff.Compare<TreeChanges>(commit.Parents.Single().Tree, commit.Tree).Select(c => c.Path).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(
                [.. new[] { "helloworld", "tcp-echo-dual-stack", "tcp-echo-ipv4", "tcp-echo-ipv6" }.SelectMany(d => new[] { $"{Samples}/{d}/kustomization.yaml", $"{Samples}/{d}/{d}.yaml" }).Order(StringComparer.Ordinal)],
                changed);
            Assert.False(repo.RetrieveStatus().IsDirty);
            Assert.Contains("- tests/e2e/samples/helloworld/kustomization.yaml:6: images name docker.io/istio/examples-helloworld-v1 -> registry.istio.io/release/examples-helloworld-v1", commit.Message, StringComparison.Ordinal);
        }
        var body = Assert.Single(_github.PullRequests)["body"]!.GetValue<string>();
        Assert.Contains("| `tests/e2e/samples/helloworld/helloworld.yaml` | [`samples/helloworld/helloworld.yaml`]", body, StringComparison.Ordinal);
        Assert.Contains("| `registry.istio.io/release/examples-helloworld-v1:1.0`, `registry.istio.io/release/examples-helloworld-v2:1.0` |", body, StringComparison.Ordinal);
        Assert.Contains("- `tests/e2e/samples/tcp-echo-ipv4/kustomization.yaml:6`: images name `docker.io/istio/tcp-echo-server` -> `registry.istio.io/release/tcp-echo-server`", body, StringComparison.Ordinal);
        Assert.DoesNotContain("httpbin", body, StringComparison.Ordinal);
        Assert.Single(_github.Calls, c => c.Contains("/tarball/", StringComparison.Ordinal));

        // kubectl kustomize, the oracle: the mapping still applies to the new names.
        if (Kustomize(Path.Combine(_repo.Path, Samples, "helloworld")) is { } printed)
        {
            Assert.Contains("image: quay.io/sail-dev/examples-helloworld-v1:1.0", printed, StringComparison.Ordinal);
            Assert.DoesNotContain("registry.istio.io", printed, StringComparison.Ordinal);
        }

        var again = await AutoUpdateAsync(null, "--upstream-ref", "master");
        Assert.True(again.ExitCode == 0, again.Out + again.Error);
        Assert.Contains("Nothing to update", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_move_to_an_upstream_trusted_upstreams_does_not_list_is_reported_and_nothing_that_would_bring_it_in_is_written()
    {
        Seed("\n  \"trusted_upstreams\": [\"docker.io\"],");

        var run = await AutoUpdateAsync(null, "--upstream-ref", "master");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("note: tests/e2e/samples/helloworld/kustomization.yaml:6:11: upstream moved docker.io/istio/examples-helloworld-v1 to registry.istio.io/release/examples-helloworld-v1, which trusted_upstreams does not list; not followed, and tests/e2e/samples/helloworld/helloworld.yaml left as it is", run.Out, StringComparison.Ordinal);
        using var repo = _repo.Open();
        Assert.False(repo.RetrieveStatus().IsDirty);
    }

    [Fact]
    public async Task Update_branch_is_the_upstream_ref_when_no_upstream_ref_is_given()
    {
        Seed();

        var run = await AutoUpdateAsync(new Dictionary<string, string> { ["UPDATE_BRANCH"] = "release-1.29" }, "--dry-run");
        var refused = await AutoUpdateAsync(new Dictionary<string, string> { ["UPDATE_BRANCH"] = "release-1.29/../../x" }, "--dry-run");

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("Reading istio/istio@release-1.29", run.Out, StringComparison.Ordinal);
        Assert.Contains("Nothing to update", run.Out, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("error: UPDATE_BRANCH: \"release-1.29/../../x\" is not a git ref name", refused.Error, StringComparison.Ordinal);
        Assert.Single(_github.Calls, c => c.Contains("/tarball/", StringComparison.Ordinal));
    }

    /// <summary>What <c>kubectl kustomize</c> prints, or null when kubectl is not installed (said on the test's output).</summary>
    private static string? Kustomize(string folder)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("kubectl", ["kustomize", folder]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.WriteLine("kubectl is not installed: the kustomize oracle was not consulted");
            return null;
        }
    }
}
