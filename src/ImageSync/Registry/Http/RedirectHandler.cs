using ImageSync.Common;
using System.Net;

namespace ImageSync.Registry.Http;

/// <summary>
/// Follows redirects (a blob served from a CDN, an upload on another host) as new requests, so that every hop
/// passes the authentication handler below, which gives credentials only to the registry's own origin. At most
/// <see cref="MaxHops"/> hops, never from https to http, and a body that cannot be sent twice is not re-sent.
/// A registry front that redirects blob GETs to a storage host with a signed URL (registry.istio.io and other
/// Cloudflare-worker fronts, ghcr.io's S3, Docker Hub's CDN) is asked again when that host refuses the URL with
/// 401 or 403: a signed URL expires (60 s to a few minutes), and the front signs a fresh one for a new request.
/// containerd's stargz-snapshotter does the same ("re-redirecting and getting fresh backend URL when 403 is
/// returned", containerd/stargz-snapshotter#167); docker-archive/docker-registry#389 describes the 60 s CloudFront
/// URL that is 403 once expired. A second refusal is the storage's failure, said as such, never "check credentials".
/// </summary>
internal sealed class RedirectHandler : DelegatingHandler
{
    public const int MaxHops = 5;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = request;
        var resigned = false;
        for (var hop = 0; ; hop++)
        {
            var response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
            if (current != request && RefusedSignedUrl(request, current, response))
            {
                var storage = current.RequestUri!.Authority;
                var status = $"{(int)response.StatusCode} {Output.Untrusted.Line(response.ReasonPhrase, 60)}".Trim();
                response.Dispose();
                current.Dispose();
                if (resigned)
                {
                    throw new RegistryException($"{request.Method} {request.RequestUri!.GetLeftPart(UriPartial.Path)}: the storage host {storage} it redirected to refused the signed URL twice ({status}), a fresh one as well: the registry's storage is failing, not the credentials");
                }
                // Back to the registry, which signs a fresh URL.
                resigned = true;
                current = request;
                continue;
            }
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

    /// <summary>A body-less request redirected to another origin, which said 401 or 403: the URL, not us, is refused.</summary>
    private static bool RefusedSignedUrl(HttpRequestMessage original, HttpRequestMessage hop, HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        && original.Content is null
        && !Origin.Same(original.RequestUri!, hop.RequestUri!);

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
