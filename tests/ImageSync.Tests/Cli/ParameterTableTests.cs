using ImageSync.Build;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>One parameter table: its generated schema and README table, kyma's flag forms, and Nuke's order of sources.</summary>
public sealed class ParameterTableTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imagesync-params-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Config()
    {
        var path = Path.Combine(_root, "image-sync-config.json");
        File.WriteAllText(path, """{ "images": [ { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["1.0"] } ] }""");
        return path;
    }

    [Fact]
    public void The_schema_in_the_repository_is_the_one_the_table_generates()
    {
        Golden.AssertMatches(Path.Combine(TestPaths.RepositoryRoot, ParameterDocs.SchemaPath), ParameterDocs.Schema());
    }

    [Fact]
    public void The_readme_parameter_table_is_the_one_the_table_generates()
    {
        var readme = Path.Combine(TestPaths.RepositoryRoot, "README.md");
        var text = File.ReadAllText(readme).ReplaceLineEndings("\n");
        var begin = text.IndexOf(ParameterDocs.ReadmeBegin, StringComparison.Ordinal);
        var end = text.IndexOf(ParameterDocs.ReadmeEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md lacks the generated parameter table's markers");
        var expected = text[..begin] + ParameterDocs.ReadmeTable() + text[(end + ParameterDocs.ReadmeEnd.Length)..];
        Golden.AssertMatches(readme, expected);
    }

    [Theory]
    [InlineData("--dry-run=true")]
    [InlineData("--dry-run=yes")]
    [InlineData("--dry-run=1")]
    public async Task Kymas_flag_forms_are_accepted(string flag)
    {
        var run = await CliRunner.RunAsync(["Validate", "--config=" + Config(), flag, "--debug=false", "--concurrency=8"]);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
    }

    [Fact]
    public async Task A_word_that_is_not_a_boolean_lists_the_accepted_ones()
    {
        var run = await CliRunner.RunAsync(["Validate", "--config", Config(), "--dry-run=maybe"]);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: --dry-run: \"maybe\" is not a boolean (use true or false, 1 or 0, yes or no, on or off)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_wins_then_the_environment_then_nuke_parameters_json_then_the_default()
    {
        Config();
        Directory.CreateDirectory(Path.Combine(_root, ".nuke"));
        File.WriteAllText(Path.Combine(_root, ".nuke", "parameters.json"), """{ "$schema": "./build.schema.json", "Concurrency": 0 }""");

        var fromFile = await CliRunner.RunAsync(["Validate"], root: _root);
        var fromEnvironment = await CliRunner.RunAsync(["Validate"], new Dictionary<string, string> { ["IMAGE_SYNC_CONCURRENCY"] = "5" }, root: _root);
        var fromCommandLine = await CliRunner.RunAsync(["Validate", "--concurrency", "70"], new Dictionary<string, string> { ["IMAGE_SYNC_CONCURRENCY"] = "5" }, root: _root);

        Assert.Equal(1, fromFile.ExitCode);
        Assert.Contains("error: .nuke/parameters.json: Concurrency: \"0\" is not a whole number from 1 to 64", fromFile.Error, StringComparison.Ordinal);
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.Out + fromEnvironment.Error);
        Assert.Contains("error: --concurrency: \"70\" is not a whole number from 1 to 64", fromCommandLine.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_file_that_names_an_unknown_parameter_is_refused_with_a_suggestion()
    {
        Config();
        Directory.CreateDirectory(Path.Combine(_root, ".nuke"));
        File.WriteAllText(Path.Combine(_root, ".nuke", "parameters.json"), """{ "Concurency": 4 }""");

        var run = await CliRunner.RunAsync(["Validate"], root: _root);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: .nuke/parameters.json: unknown parameter \"Concurency\" (did you mean \"Concurrency\"?)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Images_file_alone_runs_the_sync_as_kymas_binary_does_and_both_formats_at_once_is_an_error()
    {
        var images = Path.Combine(_root, "external-images.yaml");
        File.WriteAllText(images, "images:\n- source: busybox:1.31.1\n");

        var both = await CliRunner.RunAsync(["--images-file", images, "--config", Config(), "--target-repo-prefix", "quay.io/mirror"]);
        var alone = await CliRunner.RunAsync(["--images-file", images, "--target-repo-prefix", "quay.io/mirror", "--dry-run=true", "--registry", $"docker.io=http://127.0.0.1:{RegistryServer.FreePort()}", "--retries", "0"]);

        Assert.Equal(1, both.ExitCode);
        Assert.Contains("--config and --images-file both name a configuration", both.Error, StringComparison.Ordinal);
        Assert.Contains("running SyncAll, as kyma's image-syncer does", alone.Error, StringComparison.Ordinal);
        Assert.Contains("> SyncAll", alone.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_external_images_file_given_as_config_says_to_use_images_file()
    {
        var images = Path.Combine(_root, "external-images.yaml");
        File.WriteAllText(images, "images:\n- source: busybox:1.31.1\n");

        var run = await CliRunner.RunAsync(["Validate", "--config", images]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("looks like kyma's external-images.yaml format: pass it with --images-file", run.Error, StringComparison.Ordinal);
    }
}
