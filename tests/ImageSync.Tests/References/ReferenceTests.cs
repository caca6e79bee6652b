using ImageSync.References;

namespace ImageSync.Tests.References;

public class ReferenceTests
{
    [Theory]
    [InlineData("busybox", "docker.io", "library/busybox", null)]
    [InlineData("busybox:1.31.1", "docker.io", "library/busybox", "1.31.1")]
    [InlineData("docker.io/istio/examples-helloworld-v1:1.0", "docker.io", "istio/examples-helloworld-v1", "1.0")]
    [InlineData("index.docker.io/istio/x", "docker.io", "istio/x", null)]
    [InlineData("registry-1.docker.io/library/alpine:3", "docker.io", "library/alpine", "3")]
    [InlineData("quay.io/sail-dev/examples-httpbin:v2.15.0", "quay.io", "sail-dev/examples-httpbin", "v2.15.0")]
    [InlineData("localhost:5000/a/b/c:t", "localhost:5000", "a/b/c", "t")]
    [InlineData("localhost/a", "localhost", "a", null)]
    [InlineData("127.0.0.1:5001/x__y/a-b.c", "127.0.0.1:5001", "x__y/a-b.c", null)]
    [InlineData("registry.istio.io/release/tcp-echo-server:1.3", "registry.istio.io", "release/tcp-echo-server", "1.3")]
    public void Parses_and_normalises_like_docker(string text, string registry, string repository, string? tag)
    {
        var reference = Reference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
    }

    [Fact]
    public void Keeps_tag_and_digest_together()
    {
        var hex = new string('a', 64);
        var reference = Reference.Parse($"quay.io/a/b:1.0@sha256:{hex}");
        Assert.Equal("1.0", reference.Tag);
        Assert.Equal($"sha256:{hex}", reference.Digest.ToString());
        Assert.Equal($"quay.io/a/b:1.0@sha256:{hex}", reference.ToString());
    }

    [Theory]
    [InlineData("", "empty image reference")]
    [InlineData("a b", "white space")]
    [InlineData("quay.io/A/b", "must be lowercase")]
    [InlineData("quay.io/a//b", "path component")]
    [InlineData("quay.io/a-/b", "path component")]
    [InlineData("quay.io/a/b:", "invalid tag")]
    [InlineData("quay.io/a/b:-x", "invalid tag")]
    [InlineData("quay.io/a/b@sha256:xyz", "sha256 digest")]
    [InlineData("quay.io/a/b@md5:abcd", "unsupported digest algorithm")]
    [InlineData("-bad.io/a", "not a valid registry host")]
    public void Refuses_what_the_grammar_refuses(string text, string expected)
    {
        Assert.False(Reference.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0", true)]
    [InlineData("latest", true)]
    [InlineData("_x", true)]
    [InlineData("v2.15.0-rc.1_b", true)]
    [InlineData(".x", false)]
    [InlineData("-x", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    public void Tag_grammar(string tag, bool valid) => Assert.Equal(valid, Reference.IsValidTag(tag));

    [Fact]
    public void Tag_is_at_most_128_characters()
    {
        Assert.True(Reference.IsValidTag(new string('a', 128)));
        Assert.False(Reference.IsValidTag(new string('a', 129)));
    }

    [Fact]
    public void Digest_of_bytes_is_sha256_hex()
    {
        // sha256("") is a well-known constant.
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.Sha256([]).ToString());
    }

    [Theory]
    [InlineData("linux/amd64", "linux/amd64", true)]
    [InlineData("linux/arm64", "linux/arm64/v8", true)]
    [InlineData("linux/arm64/v8", "linux/arm64", true)]
    [InlineData("linux/arm", "linux/arm/v7", true)]
    [InlineData("linux/arm/v7", "linux/arm/v6", false)]
    [InlineData("linux/amd64", "windows/amd64", false)]
    public void Platform_matching(string wanted, string candidate, bool matches) =>
        Assert.Equal(matches, Platform.Parse(wanted).Matches(Platform.Parse(candidate)));
}
