using ImageSync.Tests.Support;

namespace ImageSync.Tests.Cli;

/// <summary>Validate on tag_rules through the command line: every bad range and pattern at its line and column, nothing read from a registry.</summary>
public sealed class TagRulesValidateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-rules-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string content)
    {
        var path = Path.Combine(_dir, "image-sync-config.json");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task A_bad_range_a_bad_pattern_and_an_unknown_key_are_each_an_error_at_their_position()
    {
        var config = Write("""
            {
              "images": [
                { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a",
                  "tag_rules": { "semver": ">=1.20.0 <2 <<3", "include": ["1\\.2(", "latest"], "latests": 3 } }
              ]
            }
            """);

        var run = await CliRunner.RunAsync(["Validate", "--config", config]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{config}:4:32: images[0].tag_rules.semver: \">=1.20.0 <2 <<3\" is not a version range", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{config}:4:63: images[0].tag_rules.include[0]: \"1\\.2(\" is not a regular expression", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{config}:4:84: images[0].tag_rules.latests: unknown field \"latests\" (did you mean \"latest\"?)", run.Error, StringComparison.Ordinal);
        Assert.Contains("3 errors", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Good_rules_and_every_tag_are_valid_without_a_tag_list()
    {
        var config = Write("""
            {
              "images": [
                { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tag_rules": { "semver": "~1.2", "exclude": ".*-debug" } },
                { "name": "b", "upstream": "docker.io/istio/b", "target": "quay.io/x/b", "tags": "*" },
                { "name": "c", "upstream": "docker.io/istio/c", "target": "quay.io/x/c", "tags": ["1.0"] }
              ]
            }
            """);

        var run = await CliRunner.RunAsync(["Validate", "--config", config]);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("valid (3 images, 1 tag, 2 with tag rules)", run.Out, StringComparison.Ordinal);
    }
}
