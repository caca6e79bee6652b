using System.Net;
using ImageSync.Registry.Auth;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ImageSync.Registry.Http;

public sealed record RetrySettings(int MaxRetries = 4, TimeSpan? BaseDelay = null, TimeSpan? MaxDelay = null)
{
    public static RetrySettings Default { get; } = new();
}

/// <summary>
/// The one HttpClient every registry call goes through: retries (408, 429, 5xx, connection failures, honouring
/// Retry-After) outside authentication, so copy code never sees a 401 or a 429. No automatic decompression:
/// digests are over the bytes as stored.
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

    /// <param name="insecureHosts">host[:port] whose TLS certificate is accepted unverified (a registry's <c>insecure: true</c>).</param>
    public static RegistryTransport Create(ICredentialProvider credentials, RegistryEndpoints endpoints, int maxConnectionsPerServer, RetrySettings? retry = null, TextWriter? debugLog = null, IReadOnlySet<string>? insecureHosts = null)
    {
        retry ??= RetrySettings.Default;
        insecureHosts ??= new HashSet<string>();
        var sockets = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = maxConnectionsPerServer,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            // .NET drops the Authorization header when it follows a redirect, so a blob served from object
            // storage never sees registry credentials.
            AllowAutoRedirect = true,
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                // Certificates are checked as usual; only a registry the config marks insecure is let through unverified.
                RemoteCertificateValidationCallback = (sender, _, _, errors) =>
                    errors == System.Net.Security.SslPolicyErrors.None
                    || (sender is System.Net.Security.SslStream stream && insecureHosts.Any(h => h.Split(':')[0].Equals(stream.TargetHostName, StringComparison.OrdinalIgnoreCase))),
            },
        };
        HttpMessageHandler inner = debugLog is null ? sockets : new DebugLogHandler(debugLog) { InnerHandler = sockets };
        var tokenClient = new HttpClient(new ResilienceHandler(Pipeline(retry)) { InnerHandler = inner }, disposeHandler: false)
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        var auth = new AuthenticationHandler(credentials, endpoints, tokenClient) { InnerHandler = inner };
        var client = new HttpClient(new ResilienceHandler(Pipeline(retry)) { InnerHandler = auth })
        {
            // Whole-operation time limits come from cancellation tokens: a 600 MB layer may take a while.
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("imagesync/1.0");
        return new RegistryTransport(client, tokenClient);
    }

    private static ResiliencePipeline<HttpResponseMessage> Pipeline(RetrySettings retry)
    {
        if (retry.MaxRetries == 0)
        {
            return ResiliencePipeline<HttpResponseMessage>.Empty;
        }
        var options = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = retry.MaxRetries,
            Delay = retry.BaseDelay ?? TimeSpan.FromSeconds(1),
            MaxDelay = retry.MaxDelay ?? TimeSpan.FromSeconds(60),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
        };
        var transient = options.ShouldHandle;
        options.ShouldHandle = args =>
        {
            // A streamed upload body cannot be sent twice; the copier retries the whole blob instead.
            if (args.Context.GetRequestMessage() is { } request && RegistryRequestOptions.IsOneShot(request))
            {
                return ValueTask.FromResult(false);
            }
            // A certificate that does not verify or a name that does not resolve will not fix itself in seconds.
            if (args.Outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError or HttpRequestError.NameResolutionError })
            {
                return ValueTask.FromResult(false);
            }
            return transient(args);
        };
        return new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(options).Build();
    }

    public void Dispose()
    {
        Client.Dispose();
        _tokenClient.Dispose();
    }
}
