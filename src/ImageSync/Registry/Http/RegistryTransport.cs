using System.Net;
using System.Net.Security;
using ImageSync.Output;
using ImageSync.Registry.Auth;

namespace ImageSync.Registry.Http;

/// <summary>
/// The one HttpClient every registry call goes through, as a stack of handlers with one job each:
/// retry (the run's <see cref="RetryPolicy"/>) → per-host throttle (halved on each 429) → redirects (each hop a new
/// request) → authentication (credentials
/// for the registry's origin only) → timeouts (headers, idle bodies) → debug log → TLS routing → sockets.
/// Token requests go through a second client without the redirect and authentication steps: a token endpoint
/// that redirects is refused rather than followed with credentials. No automatic decompression: digests are over
/// the bytes as stored.
/// </summary>
public sealed class RegistryTransport : IDisposable
{
    private readonly HttpClient _tokenClient;

    private RegistryTransport(HttpClient client, HttpClient tokenClient)
    {
        Client = client;
        _tokenClient = tokenClient;
    }

    public HttpClient Client { get; }

    public static RegistryTransport Create(ICredentialProvider credentials, RegistryEndpoints endpoints, SecretSet secrets, TransportSettings settings)
    {
        var network = new TlsRoutingHandler(Sockets(settings, verify: true), Sockets(settings, verify: false), settings.InsecureOrigins);
        HttpMessageHandler Bottom() => new TimeoutHandler(settings.Timeouts)
        {
            InnerHandler = settings.DebugLog is { } log ? new DebugLogHandler(log) { InnerHandler = network } : network,
        };
        var tokenClient = new HttpClient(new RetryHandler(settings.Retry.RequestPipeline()) { InnerHandler = Bottom() })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var auth = new AuthenticationHandler(credentials, endpoints, tokenClient, secrets) { InnerHandler = Bottom() };
        var throttle = new HostThrottleHandler(settings.MaxConnectionsPerServer, settings.DebugLog) { InnerHandler = new RedirectHandler { InnerHandler = auth } };
        HttpMessageHandler top = new RetryHandler(settings.Retry.RequestPipeline()) { InnerHandler = throttle };
        if (settings.Front is { } front)
        {
            // Above the retries: what it answers itself (files) is never retried, throttled, authenticated or timed.
            front.InnerHandler = top;
            top = front;
        }
        var client = new HttpClient(top)
        {
            // Every wait is bounded per attempt by TimeoutHandler; a 600 MB layer may take long while it moves.
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("imagesync/1.0");
        return new RegistryTransport(client, tokenClient);
    }

    private static SocketsHttpHandler Sockets(TransportSettings settings, bool verify) => new()
    {
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = settings.MaxConnectionsPerServer,
        ConnectTimeout = settings.Timeouts.Connect,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        // RedirectHandler follows redirects, one request per hop; the token client follows none.
        AllowAutoRedirect = false,
        SslOptions = verify ? new SslClientAuthenticationOptions() : new SslClientAuthenticationOptions
        {
            // Only requests to an insecure origin reach this pool; the host check is a second lock on the same door.
            RemoteCertificateValidationCallback = (sender, _, _, errors) => errors == SslPolicyErrors.None
                || (sender is SslStream stream && settings.InsecureOrigins.Any(o => o.StartsWith(stream.TargetHostName.ToLowerInvariant() + ":", StringComparison.Ordinal))),
        },
    };

    public void Dispose()
    {
        Client.Dispose();
        _tokenClient.Dispose();
    }
}
