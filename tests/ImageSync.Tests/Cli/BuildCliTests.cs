using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

public sealed class BuildCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Help_lists_every_target_and_every_parameter_with_its_environment_variable()
    {
        var run = await CliRunner.RunAsync(["--help"]);
        Assert.Equal(0, run.ExitCode);
        foreach (var target in ImageSync.Build.Targets.All)
        {
            Assert.Contains($"  {target.Name} ", run.Out, StringComparison.Ordinal);
        }
        foreach (var parameter in ImageSync.Build.ParameterTable.All)
        {
            Assert.Contains(parameter.Flag, run.Out, StringComparison.Ordinal);
            Assert.Contains($"[env: {parameter.Env}]", run.Out, StringComparison.Ordinal);
        }
        Assert.Contains("Exit codes", run.Out, StringComparison.Ordinal);
        Assert.Contains("--version", run.Out, StringComparison.Ordinal);
        // A default is shown as a value, never as a type name ("System.String[]" for an empty list).
        Assert.DoesNotContain("System.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_warning_is_said_once_however_many_targets_load_the_configuration()
    {
        var config = Write("c.json", """
            { "images": [ { "name": "a", "upstream": "docker.io/x/a", "target": "quay.io/x/a", "tags": ["latest"], "immutable_tags": true } ] }
            """);

        var run = await CliRunner.RunAsync(["Validate", "List", "--config", config]);

        Assert.Equal(0, run.ExitCode);
        Assert.Single(run.Error.Split('\n'), l => l.Contains("warning: images[0].tags: \"latest\" is a floating tag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Version_names_the_commit_built_from_and_whether_the_tool_was_compiled_ahead_of_time()
    {
        var run = await CliRunner.RunAsync(["--version"]);

        Assert.Equal(0, run.ExitCode);
        // Run through test.sh, the tool is the one build.sh built, and its stamp says which kind.
        var stamp = Environment.GetEnvironmentVariable("IMAGE_SYNC_CLI") is { Length: > 0 } built ? File.ReadAllText(Path.Combine(built, ".built")) : "";
        var how = stamp.StartsWith("native ", StringComparison.Ordinal) ? "compiled ahead of time" : @"running on \.NET 10\.";
        Assert.Matches($@"^imagesync, built from commit [0-9a-f]{{12}}, {how}", run.Out);
    }

    [Theory]
    [InlineData("Valdate", "unknown target \"Valdate\" (did you mean \"Validate\"?)")]
    [InlineData("--confg", "unknown parameter \"--confg\" (did you mean \"--config\"?)")]
    [InlineData("--concurrency=zero", "--concurrency: \"zero\" is not a whole number from 1 to 64")]
    public async Task Bad_usage_is_one_line_and_exit_code_1(string arg, string message)
    {
        var run = await CliRunner.RunAsync(["Validate", arg]);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: {message}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_names_file_line_column_and_field_and_fails()
    {
        var config = Write("bad.json", """
            {
              "images": [
                { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1 .0"] }
              ]
            }
            """);
        var run = await CliRunner.RunAsync(["Validate", "--config", config]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{config}:3:87: images[0].tags[0]: \"1 .0\" is not a valid tag", run.Error, StringComparison.Ordinal);
        Assert.Contains("Failed", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_passes_on_a_good_file_taken_from_the_environment_and_keeps_warnings()
    {
        var config = Write("good.json", """
            { "images": [ { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["latest"], "immutable_tags": true } ] }
            """);
        var run = await CliRunner.RunAsync(["Validate"], new Dictionary<string, string> { ["IMAGE_SYNC_CONFIG"] = config });
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: images[0].tags", run.Error, StringComparison.Ordinal);
        Assert.Contains("valid (1 image, 1 tag, 1 warning)", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"Validate\s+Succeeded", run.Out);
    }

    [Fact]
    public async Task Syncer_variables_select_the_external_images_format()
    {
        var images = Write("external-images.yaml", "images:\n- source: \"busybox:1.31.1\"\n  amd64Only: true\n");
        var run = await CliRunner.RunAsync(["List"], new Dictionary<string, string>
        {
            ["SYNCER_IMAGES_FILE"] = images,
            ["SYNCER_TARGET_REPO_PREFIX"] = "quay.io/mirror/",
        });
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("quay.io/mirror/library/busybox", run.Out, StringComparison.Ordinal);
        Assert.Contains("linux/amd64", run.Out, StringComparison.Ordinal);
        Assert.Contains("immutable", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_boolean_in_the_environment_is_a_usage_error()
    {
        var run = await CliRunner.RunAsync(["Validate"], new Dictionary<string, string> { ["SYNCER_DRY_RUN"] = "maybe" });
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("SYNCER_DRY_RUN: \"maybe\" is not a boolean", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_prints_one_row_per_image_with_policy_and_platforms()
    {
        var config = Write("c.json", """
            { "images": [
              { "name": "one", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1.0", "latest"] },
              { "name": "two", "upstream": "docker.io/istio/b", "target": "quay.io/x/b", "tags": ["2.0"], "platforms": ["linux/arm64"], "immutable_tags": true }
            ] }
            """);
        var run = await CliRunner.RunAsync(["List", "--config", config]);
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"one\s+│\s+docker.io/istio/a\s+│\s+quay.io/x/a\s+│\s+1.0, latest\s+│\s+all\s+│\s+mutable", run.Out);
        Assert.Matches(@"two\s+│\s+docker.io/istio/b\s+│\s+quay.io/x/b\s+│\s+2.0\s+│\s+linux/arm64\s+│\s+immutable", run.Out);
    }
}
