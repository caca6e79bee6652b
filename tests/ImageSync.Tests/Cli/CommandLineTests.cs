using ImageSync.Build;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>A run that would do nothing is not green; kyma's flags; a missing value; no secret in an unknown flag's message.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-words-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config()
    {
        var path = Path.Combine(_dir, "c.json");
        File.WriteAllText(path, """{ "images": [ { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1.0"] } ] }""");
        return path;
    }

    private string ImagesFile()
    {
        var path = Path.Combine(_dir, "external-images.yaml");
        File.WriteAllText(path, "images:\n- source: busybox:1.31.1\n");
        return path;
    }

    [Fact]
    public async Task Only_a_bare_call_prints_help_and_exits_0()
    {
        var run = await CliRunner.RunAsync([]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Targets:", run.Out, StringComparison.Ordinal);
        // Not a terminal here: help is wrapped at 100 columns, each entry with its hanging indent.
        Assert.All(run.Out.Split('\n'), line => Assert.True(line.Length <= 100, line));
    }

    [Theory]
    [InlineData("--config", "c.json")]
    [InlineData("--registry=foo=http://127.0.0.1:1", null)]
    public async Task Parameters_without_a_target_name_the_missing_target_with_the_list_and_exit_1(string flag, string? value)
    {
        var run = await CliRunner.RunAsync(value is null ? [flag] : [flag, value], root: _dir);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: no target given, so nothing would be done; name one of: Validate, List, Status, DryRun, Sync, SyncAll, Report, Discover, AutoUpdate, AutoSync", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Targets:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kymas_variables_alone_run_kymas_sync()
    {
        var run = await CliRunner.RunAsync([], new Dictionary<string, string>
        {
            ["SYNCER_IMAGES_FILE"] = ImagesFile(),
            ["SYNCER_TARGET_REPO_PREFIX"] = "quay.io/mirror",
            ["SYNCER_DRY_RUN"] = "true",
            ["IMAGE_SYNC_REGISTRIES"] = $"docker.io=http://127.0.0.1:{RegistryServer.FreePort()}",
            ["IMAGE_SYNC_RETRIES"] = "0",
        });

        Assert.Contains("note: no target given with SYNCER_IMAGES_FILE: running SyncAll, as kyma's image-syncer does", run.Error, StringComparison.Ordinal);
        Assert.Contains("> SyncAll", run.Out, StringComparison.Ordinal);
        Assert.NotEqual(0, run.ExitCode);
    }

    [Fact]
    public async Task Kymas_short_flags_and_older_key_file_name_are_read_as_ours()
    {
        var key = Path.Combine(_dir, "key.json");
        File.WriteAllText(key, """{ "type": "service_account" }""");

        var shortFlags = await CliRunner.RunAsync(["List", "-i", ImagesFile(), "-d", "-t", key], new Dictionary<string, string> { ["SYNCER_TARGET_REPO_PREFIX"] = "quay.io/mirror" });
        var older = await CliRunner.RunAsync(["List", "--images-file", ImagesFile(), "--target-key-file", key, "--target-repo-prefix", "quay.io/mirror"]);

        Assert.True(shortFlags.ExitCode == 0, shortFlags.Out + shortFlags.Error);
        Assert.Contains("quay.io/mirror/library/busybox", shortFlags.Out, StringComparison.Ordinal);
        Assert.True(older.ExitCode == 0, older.Out + older.Error);
        Assert.Contains("note: --target-key-file is kyma's older name for --target-repo-auth-key; it works, but use --target-repo-auth-key", older.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "Sync", "--image", "a", "--tag", "--config", "c.json" }, "error: --tag needs a value (--tag TAG)")]
    [InlineData(new[] { "Sync", "--image", "a", "--tag" }, "error: --tag needs a value (--tag TAG)")]
    [InlineData(new[] { "Validate", "--config" }, "error: --config needs a value (--config PATH)")]
    public async Task A_parameter_with_its_value_missing_says_so(string[] args, string message)
    {
        var run = await CliRunner.RunAsync(args, root: _dir);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_without_an_image_is_refused()
    {
        var run = await CliRunner.RunAsync(["SyncAll", "--config", Config()], new Dictionary<string, string> { ["IMAGE_SYNC_TAG"] = "1.0" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: --tag 1.0 needs --image NAME: a tag is chosen within one image", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_flag_is_named_without_its_value_which_may_be_a_secret()
    {
        var run = await CliRunner.RunAsync(["Validate", "--acces-token=s3cr3t-token-value"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: unknown parameter \"--acces-token\" (did you mean \"--access-token\"?)", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_given_on_the_command_line_is_kept_out_of_everything_printed()
    {
        var run = await CliRunner.RunAsync(["Validate", "--config", Path.Combine(_dir, "s3cr3t-token-value"), "--access-token", "s3cr3t-token-value"]);

        Assert.Equal(1, run.ExitCode);
        Assert.DoesNotContain("s3cr3t-token-value", run.Out + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_entries_wrap_at_spaces_with_a_hanging_indent()
    {
        var text = HelpText.Wrap("  --flag <N>  ", "one two three four five six seven eight", 30);

        Assert.Equal("  --flag <N>  one two three\n" + new string(' ', 14) + "four five six\n" + new string(' ', 14) + "seven eight\n", text);
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 30, line));
    }

    [Fact]
    public async Task Help_fits_the_width_it_is_given()
    {
        var output = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(output), Ansi = Spectre.Console.AnsiSupport.No });
        console.Profile.Width = 80;

        HelpText.Write(console, Targets.All, 79);
        await output.FlushAsync();

        Assert.All(output.ToString().Split('\n'), line => Assert.True(line.TrimEnd().Length <= 79, line));
        Assert.Contains("[env: IMAGE_SYNC_CONCURRENCY]", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_github_actions_a_failure_is_also_an_error_annotation()
    {
        var run = await CliRunner.RunAsync(["Sync", "--config", Config()], new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("::error title=Sync::Sync needs --image NAME (SyncAll copies every image)", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_parameters_file_says_where_and_what_in_words()
    {
        Directory.CreateDirectory(Path.Combine(_dir, ".nuke"));
        File.WriteAllText(Path.Combine(_dir, ".nuke", "parameters.json"), "{\n  \"Concurrency\": 4,\n");

        var run = await CliRunner.RunAsync(["Validate"], root: _dir);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^error: \.nuke/parameters\.json:\d+:\d+: expected a value, found end of file", run.Error);
    }
}
