using System.Text;
using ImageSync.Config;
using ImageSync.References;
using ImageSync.Registry;
using ImageSync.Reporting;
using ImageSync.AutoUpdate;
using ImageSync.Tests.Support;
using ImageSync.Upstream;

namespace ImageSync.Tests.Hostile;

/// <summary>Input from outside is bounded and made inert: YAML bombs, deep nesting, huge manifests, names that steer requests, text that would inject Markdown.</summary>
public sealed class HostileInputTests
{
    /// <summary>Nine levels of ten aliases: about 700 bytes that expand to a billion nodes.</summary>
    private static string BillionLaughs()
    {
        var yaml = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            yaml.Append($"{level}: &{level} [{string.Join(",", Enumerable.Repeat($"*{previous}", 10))}]\n");
        }
        return yaml.Append("image: docker.io/istio/bomb:1.0\nspec: *i\n").ToString();
    }

    private static string DeeplyNested(int depth) => new string('[', depth) + new string(']', depth) + "\n";

    [Fact]
    public void An_upstream_sample_whose_aliases_expand_to_a_billion_nodes_is_skipped_with_a_note()
    {
        var result = ImageExtractor.Extract([new UpstreamFile("samples/bomb.yaml", BillionLaughs(), "https://example/bomb"), new UpstreamFile("samples/ok.yaml", "image: docker.io/istio/ok:1.0\n", "https://example/ok")]);

        Assert.Contains(result.Notes, n => n.StartsWith("samples/bomb.yaml:", StringComparison.Ordinal) && n.Contains($"aliases expand to more than {BoundedYaml.MaxExpandedNodes} nodes", StringComparison.Ordinal));
        Assert.Equal(["docker.io/istio/ok:1.0"], result.Images.Select(i => i.Raw));
    }

    [Fact]
    public void An_upstream_sample_nested_ten_thousand_levels_deep_is_skipped_without_a_stack_overflow()
    {
        var result = ImageExtractor.Extract([new UpstreamFile("samples/deep.yaml", DeeplyNested(10_000), "https://example/deep")]);

        Assert.Contains(result.Notes, n => n.StartsWith("samples/deep.yaml:1: skipped, nested deeper than 64 levels", StringComparison.Ordinal));
    }

    [Fact]
    public void Aliases_that_stay_small_are_still_read()
    {
        var result = ImageExtractor.Extract([new UpstreamFile("samples/anchors.yaml", "base: &img docker.io/istio/x:1.0\nspec:\n  image: *img\n", "https://example/a")]);

        Assert.Empty(result.Notes);
        Assert.Equal(["docker.io/istio/x:1.0"], result.Images.Select(i => i.Raw));
    }

    [Theory]
    [InlineData("bomb")]
    [InlineData("deep")]
    public void An_external_images_file_over_a_limit_is_an_error_with_its_position(string kind)
    {
        var content = kind == "bomb" ? BillionLaughs() : "images:\n- source: " + DeeplyNested(500);

        var result = ConfigLoader.Load(ConfigSource.ExternalImages("external-images.yaml", "quay.io/x"), Encoding.UTF8.GetBytes(content));

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors).ToString();
        Assert.StartsWith("external-images.yaml:", error, StringComparison.Ordinal);
        Assert.Contains(kind == "bomb" ? "aliases expand" : "nested deeper than 64 levels", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_config_nested_too_deep_is_an_error_not_a_crash()
    {
        var result = ConfigLoader.Load(ConfigSource.Json("deep.json"), Encoding.UTF8.GetBytes("{\"images\": " + DeeplyNested(10_000)));

        Assert.False(result.Succeeded);
        Assert.StartsWith("deep.json:1:", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_that_lists_more_descriptors_than_the_limit_is_refused_with_the_count()
    {
        var layer = "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:" + new string('a', 64) + "\",\"size\":1}";
        var manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":" + layer.Replace("layer.v1.tar", "config.v1+json", StringComparison.Ordinal)
            + ",\"layers\":[" + string.Join(",", Enumerable.Repeat(layer, ManifestDocument.MaxDescriptors + 1)) + "]}";

        var e = Assert.Throws<InvalidDataException>(() => ManifestDocument.Parse(Encoding.UTF8.GetBytes(manifest), null));

        Assert.Equal($"the manifest lists {ManifestDocument.MaxDescriptors + 1} layers, more than the {ManifestDocument.MaxDescriptors} imagesync accepts", e.Message);
    }

    [Theory]
    [InlineData("--upstream-repo", "istio/istio/../../users/x", "is not a GitHub repository OWNER/NAME")]
    [InlineData("--upstream-repo", "istio/istio?per_page=1", "is not a GitHub repository OWNER/NAME")]
    [InlineData("--upstream-ref", "master?recursive=0&x=1", "is not a git ref name")]
    [InlineData("--upstream-ref", "../../../../users/octocat", "is not a git ref name")]
    [InlineData("--branch", "main..x", "is not a git ref name")]
    public async Task Names_that_would_steer_a_github_request_are_refused_before_any_request(string flag, string value, string message)
    {
        var run = await CliRunner.RunAsync(["AutoUpdate", flag, value, "--github-api-url", "http://127.0.0.1:9/"]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: {flag}: \"{value}\" {message}", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Upstream_paths_in_the_pull_request_cannot_add_links_mentions_or_close_their_code_span()
    {
        const string path = "samples/@octocat [x](https://evil.test)/`rm`\n::error::x.yaml";
        var image = new ImageSpec("hello", Reference.Parse("docker.io/istio/hello"), Reference.Parse("quay.io/m/hello"),
            [new TagSpec("1.0", "1.0", new SourcePosition("c.json", 1, 1))], null, [], false, new FieldPositions("images[0]", new SourcePosition("c.json", 1, 1), new Dictionary<string, SourcePosition>()));
        var evidence = new ImageOccurrence(path, 3, 5, "docker.io/istio/hello:1.1", Reference.Parse("docker.io/istio/hello:1.1"), "https://github.com/istio/istio/blob/master/" + path + "#L3");
        var update = new ImageUpdate(image, evidence.Reference, "1.0", "1.1", evidence, [$"also found in {path}"]);
        var plan = new AutoUpdatePlan("c.json", [update], [], [], [], [], "samples");

        var body = AutoUpdateReport.PullRequestBody(plan, UpstreamSampleSource.Default);

        var fence = body.IndexOf("```text\n", StringComparison.Ordinal);
        Assert.True(fence > 0, body);
        var table = body[..fence];
        var notes = body[(fence + "```text\n".Length)..];
        var outsideCodeSpans = string.Concat(table.Split('`').Where((_, i) => i % 2 == 0));
        Assert.DoesNotContain("@octocat", outsideCodeSpans, StringComparison.Ordinal);
        Assert.DoesNotContain("](https://evil", outsideCodeSpans, StringComparison.Ordinal);
        Assert.Contains("@octocat", table, StringComparison.Ordinal);
        Assert.EndsWith("```\n", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("`", notes[..^4], StringComparison.Ordinal);
        Assert.DoesNotContain(body.Split('\n'), line => line.TrimStart().StartsWith("::", StringComparison.Ordinal));
    }
}
