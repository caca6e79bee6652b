using System.Net;
using ImageSync.Registry;

namespace ImageSync.Tests.Registry;

public class RegistryPlumbingTests
{
    [Theory]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    [InlineData("quay.io", "https://quay.io/")]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("localhost:5000", "http://localhost:5000/")]
    [InlineData("registry.example:8443", "https://registry.example:8443/")]
    public void Endpoints_are_https_unless_loopback_and_docker_hub_goes_to_registry_1(string registry, string expected) =>
        Assert.Equal(new Uri(expected), RegistryEndpoints.Default.BaseUri(registry));

    [Fact]
    public void A_mapping_changes_only_the_transport()
    {
        Assert.True(RegistryEndpoints.TryParseMapping("index.docker.io=http://127.0.0.1:5001", out var name, out var url, out _));
        Assert.Equal("docker.io", name);
        Assert.Equal(new Uri("http://127.0.0.1:5001/"), new RegistryEndpoints(new Dictionary<string, Uri> { [name] = url! }).BaseUri("docker.io"));
    }

    [Theory]
    [InlineData("docker.io", "not NAME=URL")]
    [InlineData("notahost=http://x", "not a registry name")]
    [InlineData("quay.io=ftp://x", "not a registry URL")]
    [InlineData("quay.io=http://x/path", "not a registry URL")]
    public void A_bad_mapping_says_what_is_wrong(string text, string message)
    {
        Assert.False(RegistryEndpoints.TryParseMapping(text, out _, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("</v2/a/tags/list?last=x&n=2>; rel=\"next\"", "http://r:5000/v2/a/tags/list?last=x&n=2")]
    [InlineData("<http://r:5000/v2/a/tags/list?last=y>; rel=next", "http://r:5000/v2/a/tags/list?last=y")]
    [InlineData("<http://elsewhere/v2/a/tags/list?last=y>; rel=\"next\"", null)]
    [InlineData("</v2/a/tags/list?last=y>; rel=\"prev\"", null)]
    public void Tag_pages_follow_link_next_on_the_same_host_only(string link, string? expected)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("Link", link);
        Assert.Equal(expected is null ? null : new Uri(expected), RegistryClient.NextPage(response, new Uri("http://r:5000/v2/a/tags/list?n=1000")));
    }

    [Fact]
    public void Registry_errors_are_read_from_the_json_body_or_as_text()
    {
        var (codes, detail) = RegistryException.ParseErrors("{\"errors\":[{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\",\"detail\":\"sha256:abc\"}]}");
        Assert.Equal(["MANIFEST_BLOB_UNKNOWN"], codes);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN blob unknown to registry (sha256:abc)", detail);
        Assert.Equal("404 page not found", RegistryException.ParseErrors("404 page not found\n").Detail);
    }
}
