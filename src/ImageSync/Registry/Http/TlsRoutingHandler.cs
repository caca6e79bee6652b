namespace ImageSync.Registry.Http;

/// <summary>
/// Sends each request to the connection pool that fits its origin: certificates are verified everywhere except for
/// the exact host:port a registry's <c>insecure: true</c> names. Redirects are separate requests here, so a hop to
/// another origin is verified again.
/// </summary>
internal sealed class TlsRoutingHandler(HttpMessageHandler verified, HttpMessageHandler unverified, IReadOnlySet<string> insecureOrigins) : HttpMessageHandler
{
    private readonly HttpMessageInvoker _verified = new(verified);
    private readonly HttpMessageInvoker _unverified = new(unverified);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.RequestUri is { Scheme: "https" } uri && insecureOrigins.Contains(Origin(uri))
            ? _unverified.SendAsync(request, cancellationToken)
            : _verified.SendAsync(request, cancellationToken);

    /// <summary>host:port, the port always written, so that https://h and https://h:443 are one origin.</summary>
    public static string Origin(Uri uri) => $"{uri.IdnHost.ToLowerInvariant()}:{uri.Port}";

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _verified.Dispose();
            _unverified.Dispose();
        }
        base.Dispose(disposing);
    }
}
