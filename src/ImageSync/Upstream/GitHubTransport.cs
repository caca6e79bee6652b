using ImageSync.Registry.Http;
using Octokit;
using Octokit.Internal;

namespace ImageSync.Upstream;

/// <summary>
/// Every GitHub request of a run goes through the run's bounds, as registry requests do: the one
/// <see cref="RetryPolicy"/> (--retries: 408, 429, 5xx, dropped or stalled connections, Retry-After) and the run's
/// <see cref="Timeouts"/> (--timeout for the headers and between two reads of a body; connecting at most 15 s).
/// The archive client follows redirects one hop at a time without Authorization (GitHub sends the download to
/// codeload, which gets no token); Octokit follows its own, and keeps the token on the API's host only.
/// </summary>
public static class GitHubTransport
{
    /// <summary>For the archive download: retry, then redirects, then timeouts (the body streamed, never buffered).</summary>
    public static HttpClient CreateArchiveClient(TransportSettings settings) =>
        new(new RetryHandler(settings.Retry.RequestPipeline()) { InnerHandler = new RedirectHandler { InnerHandler = Bottom(settings) } })
        {
            // Every wait is bounded per attempt by TimeoutHandler, and the whole read by ArchiveLimits.MaxTime.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };

    /// <summary>Octokit on the same handlers (at the API base Octokit itself would use); its own 100 s per request is lifted so that the run's bounds are the ones that apply.</summary>
    public static IGitHubClient CreateClient(Uri apiUrl, string? token, TransportSettings settings)
    {
        var adapter = new HttpClientAdapter(() => new RetryHandler(settings.Retry.RequestPipeline()) { InnerHandler = Bottom(settings) });
        adapter.SetRequestTimeout(System.Threading.Timeout.InfiniteTimeSpan);
        var credentials = string.IsNullOrEmpty(token) ? Credentials.Anonymous : new Credentials(token);
        var connection = new Connection(new ProductHeaderValue("imagesync"), GitHubSampleReader.ApiBaseFor(apiUrl), new InMemoryCredentialStore(credentials), new RunBoundedHttp(adapter), new SimpleJsonSerializer());
        return new GitHubClient(connection);
    }

    private static TimeoutHandler Bottom(TransportSettings settings) => new(settings.Timeouts)
    {
        InnerHandler = new SocketsHttpHandler
        {
            ConnectTimeout = settings.Timeouts.Connect,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
        },
    };
}
