using System.Text;
using ImageSync.Discovery;
using ImageSync.Git;
using ImageSync.References;
using ImageSync.Samples;
using ImageSync.Tests.Support;
using ImageSync.Upstream;

namespace ImageSync.Tests.Follow;

public sealed class ExtractionAndRewriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-rewrite-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SampleFile Fixture(string relative) =>
        new(relative, File.ReadAllText(Path.Combine(TestPaths.IstioMaster, relative)), "https://example/" + relative);

    [Fact]
    public void Extracts_every_image_of_istios_master_samples_and_skips_the_helm_template()
    {
        var files = Directory.EnumerateFiles(Path.Combine(TestPaths.IstioMaster, "samples"), "*.yaml", SearchOption.AllDirectories)
            .Select(f => Fixture(Path.GetRelativePath(TestPaths.IstioMaster, f)));

        var result = ImageExtractor.Extract(files);

        var found = result.Images.Select(i => $"{i.File}:{i.Line} {i.Raw}").ToHashSet();
        Assert.Contains("samples/helloworld/helloworld.yaml:36 registry.istio.io/release/examples-helloworld-v1:1.0", found);
        Assert.Contains("samples/helloworld/helloworld.yaml:65 registry.istio.io/release/examples-helloworld-v2:1.0", found);
        Assert.Contains("samples/httpbin/httpbin.yaml:56 docker.io/mccutchen/go-httpbin:v2.15.0", found);
        Assert.Contains("samples/addons/kiali.yaml:389 quay.io/kiali/kiali:v2.27", found);
        Assert.Contains("samples/custom-bootstrap/example-app.yaml:24 registry.istio.io/release/examples-helloworld-v1", found);
        Assert.Contains(result.Notes, n => n.StartsWith("samples/ambient-argo/tag-chart/templates/mutatingwebhooks.yaml: skipped, not YAML", StringComparison.Ordinal));
        var untagged = result.Images.Single(i => i.File == "samples/custom-bootstrap/example-app.yaml");
        Assert.Null(untagged.Reference.Tag);
        Assert.Equal(18, untagged.Column); // the value, after "image: " at column 11
    }

    [Fact]
    public void Finds_quoted_values_list_items_and_every_document_but_not_comments()
    {
        var file = new SampleFile("x.yaml", """
            # image: commented/out:1.0
            a:
              - image: "quay.io/a/quoted:1.0" # trailing comment
              - image: 'quay.io/a/single:2.0'
            ---
            containers:
            - name: x
              image: quay.io/a/plain@sha256:0000000000000000000000000000000000000000000000000000000000000000
            - image: "{{ .Values.image }}"
            """, "");

        var result = ImageExtractor.Extract([file]);

        Assert.Equal(["quay.io/a/quoted:1.0", "quay.io/a/single:2.0", "quay.io/a/plain@sha256:" + new string('0', 64)], result.Images.Select(i => i.Raw));
        Assert.Equal([3, 4, 8], result.Images.Select(i => i.Line));
        Assert.Contains(result.Notes, n => n.Contains("is not an image reference", StringComparison.Ordinal));
    }

    [Fact]
    public void Rewrites_whole_references_only_and_keeps_every_other_byte()
    {
        var samples = Path.Combine(_dir, "samples");
        Directory.CreateDirectory(samples);
        var original = "a: quay.io/x/app:1.0\r\nb: \"quay.io/x/app:1.0\"  # keep\r\nc: quay.io/x/app:1.0.1\r\nd: quay.io/x/app-extra:1.0\r\ne: quay.io/x/app:1.0-rc\r\nf: myquay.io/x/app:1.0\r\ng: quay.io/x/app:1.0@sha256:" + new string('a', 64) + "\r\n";
        var bom = Encoding.UTF8.Preamble.ToArray();
        File.WriteAllBytes(Path.Combine(samples, "s.yaml"), [.. bom, .. Encoding.UTF8.GetBytes(original)]);

        var rewrites = SampleRewriter.Plan(SampleRewriter.Load(samples), [(Reference.Parse("quay.io/x/app"), "1.0", "2.0")]);

        var rewrite = Assert.Single(rewrites);
        var expected = original.Replace("a: quay.io/x/app:1.0\r", "a: quay.io/x/app:2.0\r", StringComparison.Ordinal)
            .Replace("\"quay.io/x/app:1.0\"", "\"quay.io/x/app:2.0\"", StringComparison.Ordinal);
        Assert.Equal([.. bom, .. Encoding.UTF8.GetBytes(expected)], rewrite.After);
        Assert.Equal([1, 2], rewrite.Lines);
    }

    [Fact]
    public void An_untagged_reference_gains_the_tag_and_docker_hub_short_names_are_found()
    {
        var samples = Path.Combine(_dir, "samples");
        Directory.CreateDirectory(samples);
        File.WriteAllText(Path.Combine(samples, "s.yaml"), "a: quay.io/x/app\nb: quay.io/x/app-two\nc: busybox\nd: docker.io/library/busybox:1.0\n");

        var rewrites = SampleRewriter.Plan(SampleRewriter.Load(samples), [(Reference.Parse("quay.io/x/app"), null, "1.0"), (Reference.Parse("busybox"), null, "1.36")]);

        Assert.Equal("a: quay.io/x/app:1.0\nb: quay.io/x/app-two\nc: busybox:1.36\nd: docker.io/library/busybox:1.0\n", Encoding.UTF8.GetString(Assert.Single(rewrites).After));
    }

    [Fact]
    public void Adding_a_tag_keeps_the_lists_layout_inline_or_multi_line()
    {
        var json = """
            {
              "images": [
                { "name": "a", "upstream": "docker.io/x/a", "target": "quay.io/x/a", "tags": ["latest"] },
                {
                  "name": "b",
                  "upstream": "docker.io/x/b",
                  "target": "quay.io/x/b",
                  "tags": [
                    "latest"
                  ]
                }
              ]
            }
            """;
        var config = ImageSync.Config.ConfigLoader.Load(ImageSync.Config.ConfigSource.Json("c.json"), Encoding.UTF8.GetBytes(json)).Config!;
        var updates = config.Images.Select(i => new ImageUpdate(i, i.Upstream, null, "1.0", null, [])).ToList();

        var after = Encoding.UTF8.GetString(ConfigEditor.Apply(Encoding.UTF8.GetBytes(json), updates, followMove: _ => false));

        Assert.Equal(json.Replace("\"tags\": [\"latest\"]", "\"tags\": [\"1.0\", \"latest\"]", StringComparison.Ordinal)
            .Replace("\"tags\": [\n        \"latest\"", "\"tags\": [\n        \"1.0\",\n        \"latest\"", StringComparison.Ordinal), after);
    }

    [Fact]
    public void Versions_sort_newest_first_with_other_tags_after()
    {
        Assert.Equal(["v2.15.0", "1.10", "1.3", "1.3-rc.2", "1.3-rc.1", "1.2", "latest", "main"],
            TagVersion.NewestFirst(["1.2", "latest", "1.3-rc.1", "1.10", "main", "1.3", "v2.15.0", "1.3-rc.2"]));
    }

    [Theory]
    [InlineData("https://github.com/istio-ecosystem/sail-operator.git", "istio-ecosystem/sail-operator")]
    [InlineData("https://x-access-token:abc@github.com/o/r", "o/r")]
    [InlineData("git@github.com:o/r.git", "o/r")]
    [InlineData("ssh://git@github.com/o/r.git", "o/r")]
    [InlineData("/tmp/origin.git", null)]
    public void The_pull_requests_repository_is_read_from_origin(string url, string? slug) =>
        Assert.Equal(slug, GitPublisher.RepositorySlug(url));
}
