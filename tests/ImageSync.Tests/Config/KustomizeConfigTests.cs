using System.Text;
using ImageSync.Config;

namespace ImageSync.Tests.Config;

/// <summary>The "kustomize" section and upstream_samples.files, as the JSON reader takes them.</summary>
public class KustomizeConfigTests
{
    private static ConfigLoadResult LoadJson(string json) => ConfigLoader.Load(ConfigSource.Json("c.json"), Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_kustomize_section_alone_is_a_configuration()
    {
        var result = LoadJson("""
            { "kustomize": { "paths": ["tests/e2e/samples/"], "targets": ["quay.io/sail-dev/", "index.docker.io/me"] } }
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var k = result.Config!.Kustomize!;
        Assert.Equal(["tests/e2e/samples"], k.Paths);
        Assert.Equal(["quay.io/sail-dev", "docker.io/me"], k.Targets);
        Assert.Equal("c.json:1:28", k.PathPositions[0].ToString());
        Assert.Empty(result.Config.Images);
        Assert.True(k.Owns(ImageSync.References.Reference.Parse("quay.io/sail-dev/go-httpbin:v2.15.0")));
        Assert.False(k.Owns(ImageSync.References.Reference.Parse("quay.io/sail-devx/go-httpbin:v2.15.0")));
        Assert.False(k.Owns(ImageSync.References.Reference.Parse("quay.io/curl/curl:8.16.0")));
    }

    [Fact]
    public void Without_images_or_kustomize_the_error_names_both()
    {
        var result = LoadJson("{}");
        Assert.Contains(result.Errors, d => d.Message.Contains("\"images\" (or \"kustomize\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "kustomize": { "paths": [], "targets": ["quay.io/x"] } }""", "c.json:1:27: kustomize.paths: name at least one folder")]
    [InlineData("""{ "kustomize": { "paths": ["../up"], "targets": ["quay.io/x"] } }""", "c.json:1:28: kustomize.paths[0]: \"../up\" is not a path inside this repository")]
    [InlineData("""{ "kustomize": { "paths": ["a"], "targets": ["sail-dev"] } }""", "c.json:1:46: kustomize.targets[0]: \"sail-dev\" is neither a registry")]
    [InlineData("""{ "kustomize": { "paths": ["a"] } }""", "c.json:1:16: kustomize.targets: missing required field \"targets\"")]
    [InlineData("""{ "kustomize": { "paths": ["a"], "targets": ["quay.io"], "target": 1 } }""", "c.json:1:58: kustomize.target: unknown field \"target\" (did you mean \"targets\"?)")]
    [InlineData("""{ "kustomize": ["a"] }""", "c.json:1:16: kustomize: expected an object, got an array")]
    public void Bad_kustomize_sections_are_positioned_errors(string json, string expected)
    {
        var result = LoadJson(json);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, d => d.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Upstream_samples_files_map_vendored_files_to_upstream_paths()
    {
        var result = LoadJson("""
            {
              "images": [],
              "upstream_samples": {
                "files": {
                  "tests/e2e/samples/helloworld/helloworld.yaml": "samples/helloworld/helloworld.yaml",
                  "tests/e2e/samples/sleep/sleep.yaml": "samples/sleep/sleep.yaml"
                }
              }
            }
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var files = result.Config!.Samples.VendoredFiles;
        Assert.Equal(["tests/e2e/samples/helloworld/helloworld.yaml", "tests/e2e/samples/sleep/sleep.yaml"], files.Select(f => f.Path));
        Assert.Equal("samples/sleep/sleep.yaml", files[1].UpstreamPath);
        Assert.Equal("c.json:6:7", files[1].Position.ToString());
        Assert.Equal("istio/istio", result.Config.Samples.Repository);
    }

    [Theory]
    [InlineData("""{ "images": [], "upstream_samples": { "files": { "/etc/passwd": "samples/a.yaml" } } }""", "upstream_samples.files./etc/passwd: \"/etc/passwd\" is not a file inside this repository")]
    [InlineData("""{ "images": [], "upstream_samples": { "files": { "a.yaml": "../a.yaml" } } }""", "upstream_samples.files.a.yaml: \"../a.yaml\" is not a path inside the upstream repository")]
    [InlineData("""{ "images": [], "upstream_samples": { "files": { "a.yaml": 1 } } }""", "upstream_samples.files.a.yaml: expected a string, got a number")]
    [InlineData("""{ "images": [], "upstream_samples": { "files": ["a.yaml"] } }""", "upstream_samples.files: expected an object mapping each vendored file")]
    public void Bad_files_entries_are_positioned_errors(string json, string expected)
    {
        var result = LoadJson(json);
        Assert.Contains(result.Errors, d => d.ToString().Contains(expected, StringComparison.Ordinal));
    }
}
