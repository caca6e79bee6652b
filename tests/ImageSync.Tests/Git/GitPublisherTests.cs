using ImageSync.Git;

namespace ImageSync.Tests.Git;

public sealed class GitPublisherTests
{
    [Theory]
    [InlineData("https://github.com/istio-ecosystem/sail-operator.git", "istio-ecosystem/sail-operator")]
    [InlineData("https://x-access-token:abc@github.com/o/r", "o/r")]
    [InlineData("git@github.com:o/r.git", "o/r")]
    [InlineData("ssh://git@github.com/o/r.git", "o/r")]
    [InlineData("/tmp/origin.git", null)]
    public void The_pull_requests_repository_is_read_from_origin(string url, string? slug) =>
        Assert.Equal(slug, GitPublisher.RepositorySlug(url));
}
