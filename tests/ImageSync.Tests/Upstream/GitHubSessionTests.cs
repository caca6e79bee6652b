using ImageSync.Registry.Http;
using ImageSync.Upstream;

namespace ImageSync.Tests.Upstream;

public sealed class GitHubSessionTests
{
    private static readonly TransportSettings Bounds = new() { Retry = RetryPolicy.Default, Timeouts = Timeouts.FromSeconds(30) };

    [Theory]
    [InlineData("https://api.github.com/", "https://github.com/")]
    [InlineData("https://ghe.example.com/api/v3/", "https://ghe.example.com/")]
    public void Evidence_links_point_to_the_web_host_of_the_api_it_talks_to(string api, string web)
    {
        using var session = new GitHubSession(new Uri(api), token: null, Bounds);

        Assert.Equal(new Uri(web), session.WebBase);
    }

    [Fact]
    public void The_reader_and_the_archive_share_the_sessions_limits()
    {
        var limits = ArchiveLimits.Default with { MaxEntries = 10 };

        using var session = new GitHubSession(new Uri("https://api.github.com/"), token: null, Bounds, limits);

        Assert.Same(limits, session.Limits);
        Assert.NotNull(session.Samples);
        Assert.NotNull(session.Client);
    }
}
