using ImageSync.Config;
using ImageSync.Kustomize;

namespace ImageSync.Tests.Kustomize;

/// <summary>kustomize v5's name matching, splitting and updating, as pure functions (each rule also checked against kubectl in KustomizeDifferentialTests).</summary>
public class ImageMatchingTests
{
    private static readonly SourcePosition At = new("k.yaml", 1, 1);

    private static ImageTransform Entry(string name, string newName = "", string newTag = "", string digest = "", string tagSuffix = "") =>
        new(name, newName, newTag, digest, tagSuffix, At, At);

    [Theory]
    [InlineData("nginx", "nginx", true)]
    [InlineData("nginx:1.0", "nginx", true)]
    [InlineData("nginx@sha256:abc", "nginx", true)]
    [InlineData("nginx:1.0@sha256:abc", "nginx", true)]
    [InlineData("docker.io/library/nginx:1.0", "nginx", false)]
    [InlineData("docker.io/nginx:1.0", "nginx", false)]
    [InlineData("library/nginx:1.0", "nginx", false)]
    [InlineData("nginx:1.0", "docker.io/library/nginx", false)]
    [InlineData("docker.io/curlimages/curl:8.16.0", "curlimages/curl", false)]
    [InlineData("docker.io/curlimages/curl:8.16.0", "docker.io/curlimages/curl", true)]
    [InlineData("nginx-mirror:1", "nginx", false)]
    [InlineData("my/nginx:1", "nginx", false)]
    [InlineData("nginx:1.0", "nginx:1.0", true)]
    [InlineData("nginx:1.1", "nginx:1.0", false)]
    [InlineData("registryXistio.io/release/x:1", "registry.istio.io/release/x", true)]
    [InlineData("localhost:5000/nginx:2", "localhost:5000/nginx", true)]
    [InlineData("nginx:1\n", "nginx", false)]
    [InlineData("nginx:a/b", "nginx", false)]
    public void Names_match_as_kustomize_matches_them(string value, string name, bool matched) =>
        Assert.Equal(matched, ImageNameMatcher.IsImageMatched(value, name));

    [Theory]
    [InlineData("nginx*")]
    [InlineData("a(b")]
    [InlineData("^nginx$")]
    [InlineData("a|b")]
    public void Names_with_other_regular_expression_characters_are_refused(string name)
    {
        Assert.False(ImageNameMatcher.IsSupported(name));
        var e = Assert.Throws<KustomizeException>(() => ImageNameMatcher.Check(Entry(name)));
        Assert.Contains("reads as a regular expression", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nginx", "nginx", "", "")]
    [InlineData("nginx:1.0", "nginx", "1.0", "")]
    [InlineData("nginx@sha256:abc", "nginx", "", "sha256:abc")]
    [InlineData("nginx:1.0@sha256:abc", "nginx", "1.0", "sha256:abc")]
    [InlineData("localhost:5000/nginx", "localhost:5000/nginx", "", "")]
    [InlineData("localhost:5000/nginx:2", "localhost:5000/nginx", "2", "")]
    [InlineData("localhost:5000/a/b@sha256:abc", "localhost:5000/a/b", "", "sha256:abc")]
    public void Split_cuts_as_kustomize_cuts(string value, string name, string tag, string digest)
    {
        var parts = ImageParts.Split(value);
        Assert.Equal((name, tag, digest), (parts.Name, parts.Tag, parts.Digest));
        Assert.Equal(value, parts.ToString());
    }

    [Theory]
    [InlineData("nginx:1.0", "quay.io/m/nginx", "", "", "", "quay.io/m/nginx:1.0")]
    [InlineData("nginx", "quay.io/m/nginx", "", "", "", "quay.io/m/nginx")]
    [InlineData("nginx:1.0@sha256:aaa", "m/nginx", "", "", "", "m/nginx:1.0@sha256:aaa")]
    [InlineData("nginx:1.0", "", "2.0", "", "", "nginx:2.0")]
    [InlineData("nginx:1.0@sha256:aaa", "", "2.0", "", "", "nginx:2.0")]
    [InlineData("nginx:1.0", "", "", "sha256:bbb", "", "nginx@sha256:bbb")]
    [InlineData("nginx:1.0", "", "2.0", "sha256:bbb", "", "nginx:2.0@sha256:bbb")]
    [InlineData("nginx:1.0", "", "", "", "-x", "nginx:1.0-x")]
    [InlineData("nginx:1.0", "", "2.0", "", "-x", "nginx:2.0")]
    public void The_updater_replaces_as_kustomize_replaces(string value, string newName, string newTag, string digest, string tagSuffix, string expected) =>
        Assert.Equal(expected, ImageTagUpdater.Apply(value, Entry("nginx", newName, newTag, digest, tagSuffix)));

    [Fact]
    public void A_value_the_name_does_not_match_is_left_alone() =>
        Assert.Null(ImageTagUpdater.Apply("docker.io/library/nginx:1", Entry("nginx", "m/nginx")));
}
