using System.Diagnostics;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>
/// .github/scripts/dry-run.sh, the pull request checks' DryRun, run by bash as Actions runs it, in front of a stand-in
/// build.sh that writes a given --report and exits with a given code: a registry that refuses an anonymous read
/// passes with a note; every other failure keeps DryRun's exit code.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DryRunScriptTests : IDisposable
{
    private const string Anonymous401 = "HEAD quay.io/sail-dev/a:1.0: 401 Unauthorized (no credentials found for it; looked in the config's username_env/password_env and Docker's config.json)";
    private const string Token401 = "logging in to quay.io for repository:sail-dev/b:pull: 401 UNAUTHORIZED (no credentials were found for it)";

    private readonly string _root = Directory.CreateTempSubdirectory("imagesync-dry-run-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Result(string image, string action, string? error) =>
        $$"""{"image":"{{image}}","tag":"1.0","source":"docker.io/istio/{{image}}:1.0","target":"quay.io/sail-dev/{{image}}:1.0","action":"{{action}}","bytes":0,"durationMs":1,"error":{{(error is null ? "null" : System.Text.Json.JsonSerializer.Serialize(error))}}}""";

    private Task<(CliRun Run, string Summary, string Arguments)> RunAsync(int exitCode, params string[] results) =>
        RunReportAsync(exitCode, results.Length == 0 ? "" : "{\"results\":[" + string.Join(",", results) + "],\"summary\":{}}");

    private async Task<(CliRun Run, string Summary, string Arguments)> RunReportAsync(int exitCode, string report)
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "report.json"), report);
        // The stand-in: logs its arguments, copies the prepared report to the path after --report, exits as told.
        await File.WriteAllTextAsync(Path.Combine(_root, "build.sh"), $$"""
            #!/usr/bin/env bash
            echo "$*" > "$(dirname "$0")/arguments"
            while [ $# -gt 0 ]; do if [ "$1" = --report ]; then cp "$(dirname "$0")/report.json" "$2"; fi; shift; done
            exit {{exitCode}}
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(Path.Combine(_root, "build.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(_root, ".github", "scripts"));
        // As the repository has it: a step runs it by its name, so its mode must let it.
        File.Copy(Path.Combine(TestPaths.RepositoryRoot, ".github", "scripts", "dry-run.sh"), Path.Combine(_root, ".github", "scripts", "dry-run.sh"), overwrite: true);
        var summary = Path.Combine(_root, "summary.md");
        File.WriteAllText(summary, "");

        // As a step runs its script: bash -e, which calls dry-run.sh by its name.
        var start = new ProcessStartInfo("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", ".github/scripts/dry-run.sh --image a"]) { WorkingDirectory = _root };
        start.Environment["GITHUB_STEP_SUMMARY"] = summary;
        start.Environment["RUNNER_TEMP"] = _root;
        var run = await ChildProcess.RunAsync(start, TimeSpan.FromMinutes(1));
        return (run, await File.ReadAllTextAsync(summary), (await File.ReadAllTextAsync(Path.Combine(_root, "arguments"))).Trim());
    }

    [Fact]
    public async Task A_target_that_refuses_anonymous_reads_passes_and_the_summary_names_the_tags_not_planned()
    {
        var (run, summary, arguments) = await RunAsync(1, Result("a", "error", Anonymous401), Result("b", "error", Token401), Result("c", "would-copy", null));

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.StartsWith("DryRun --image a --report ", arguments, StringComparison.Ordinal);
        Assert.Contains("### Not planned: a registry this check cannot read", summary, StringComparison.Ordinal);
        Assert.Contains("- a:1.0 (quay.io/sail-dev/a:1.0)", summary, StringComparison.Ordinal);
        Assert.Contains("- b:1.0 (quay.io/sail-dev/b:1.0)", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("c:1.0", summary, StringComparison.Ordinal);
        Assert.Contains("::warning title=Not planned::2 tag(s)", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "error", "HEAD quay.io/sail-dev/a:1.0: 500 Internal Server Error")]
    [InlineData(1, "error", "HEAD quay.io/sail-dev/a:1.0: 401 Unauthorized (credentials from QUAY_USERNAME/QUAY_PASSWORD)")]
    [InlineData(1, "error", "the registry said no credentials were found, 4011 times")]
    [InlineData(2, "conflict", "quay.io/sail-dev/a:1.0 is sha256:1 but upstream is sha256:2; immutable tags are never overwritten")]
    public async Task Any_other_failure_beside_it_fails_with_DryRuns_exit_code(int exitCode, string action, string error)
    {
        var (run, summary, _) = await RunAsync(exitCode, Result("a", "error", Anonymous401), Result("b", action, error));

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal("", summary);
    }

    [Fact]
    public async Task A_failure_alone_of_the_same_kind_fails_too_and_success_passes()
    {
        Assert.Equal(1, (await RunAsync(1, Result("b", "error", "HEAD quay.io/sail-dev/b:1.0: 500 Internal Server Error"))).Run.ExitCode);
        Assert.Equal(1, (await RunAsync(1)).Run.ExitCode); // no report: the configuration or the command line was wrong
        Assert.Equal(0, (await RunAsync(0, Result("a", "would-copy", null))).Run.ExitCode);
    }

    /// <summary>The tool's own words, not the ones above: a real DryRun without credentials against a registry that wants them.</summary>
    [Theory]
    [InlineData("basic")]
    [InlineData("token")]
    public async Task The_report_of_a_real_anonymous_DryRun_against_a_registry_that_wants_a_login_passes(string auth)
    {
        await using var tokens = auth == "token" ? await TokenServer.StartAsync("robot", "s3cret-robot-token", _root) : null;
        await using var world = await SyncWorld.StartAsync(tokens is null ? new RegistryAuth.Htpasswd("robot", "s3cret-robot-token") : tokens.RegistryAuth);
        var image = TestImage.Create("private-" + auth);
        await image.PushAsync(world.Upstream, "istio/private", "1.0");
        var config = world.Config(("private", "istio/private", "mirror/private", ["1.0"], ""));
        var report = Path.Combine(_root, "real-report.json");

        var dryRun = await world.RunAsync(config, "DryRun", "--report", report);
        var (run, summary, _) = await RunReportAsync(dryRun.ExitCode, await File.ReadAllTextAsync(report));

        Assert.True(dryRun.ExitCode == 1, dryRun.Out + dryRun.Error);
        Assert.True(run.ExitCode == 0, dryRun.Out + run.Out + run.Error);
        Assert.Contains("- private:1.0 (target.test/mirror/private:1.0)", summary, StringComparison.Ordinal);
    }
}
