using ImageSync.Tests.Support;
using ImageSync.Upstream;

namespace ImageSync.Tests.Upstream;

public sealed class ImageExtractorTests
{
    private static UpstreamFile Fixture(string relative) =>
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
        var file = new UpstreamFile("x.yaml", """
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
}
