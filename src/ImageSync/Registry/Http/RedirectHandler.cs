using System.Net;

namespace ImageSync.Registry.Http;

/// <summary>
/// Follows redirects (a blob served from a CDN, an upload on another host) as new requests, so that every hop
/// passes the authentication handler below, which gives credentials only to the registry's own origin. At most
/// <see cref="MaxHops"/> hops, never from https to http, and a body that cannot be sent twice is not re-sent.
/// </summary>
internal sealed class RedirectHandler : DelegatingHandler
{
    public const int MaxHops = 5;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = request;
        for (var hop = 0; ; hop++)
        {
            var response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }
            var target = location.IsAbsoluteUri ? location : new Uri(current.RequestUri!, location);
            var from = current.RequestUri!;
            if (hop == MaxHops)
            {
                response.Dispose();
                throw new RegistryException($"{request.Method} {request.RequestUri!.GetLeftPart(UriPartial.Path)}: more than {MaxHops} redirects");
            }
            if (target.Scheme is not ("http" or "https") || (from.Scheme == "https" && target.Scheme == "http"))
            {
                response.Dispose();
                throw new RegistryException($"{request.Method} {from.GetLeftPart(UriPartial.Path)}: redirected to {target.Scheme}://{target.Authority}, refused (https must not become plain http)");
            }
            var method = response.StatusCode is HttpStatusCode.SeeOther && current.Method != HttpMethod.Head ? HttpMethod.Get : current.Method;
            var keepsBody = method == current.Method && current.Content is not null;
            if (keepsBody && (RegistryRequestOptions.IsOneShot(current) || current.Content is not ByteArrayContent))
            {
                // The caller sees the redirect and fails; its retry starts over with a fresh body.
                return response;
            }
            response.Dispose();
            current = Hop(current, method, target, keepsBody);
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static HttpRequestMessage Hop(HttpRequestMessage previous, HttpMethod method, Uri target, bool keepsBody)
    {
        var next = new HttpRequestMessage(method, target) { Version = previous.Version, VersionPolicy = previous.VersionPolicy };
        foreach (var (name, values) in previous.Headers)
        {
            // Credentials are the authentication handler's to add, for the registry's origin only.
            if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                next.Headers.TryAddWithoutValidation(name, values);
            }
        }
        foreach (var (key, value) in previous.Options)
        {
            ((IDictionary<string, object?>)next.Options)[key] = value;
        }
        if (keepsBody)
        {
            next.Content = previous.Content;
        }
        return next;
    }
}
