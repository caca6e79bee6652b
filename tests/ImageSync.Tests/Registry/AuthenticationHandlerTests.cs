using System.Net;
using System.Text;
using ImageSync.Registry;
using ImageSync.Registry.Auth;
using ImageSync.Registry.Http;

namespace ImageSync.Tests.Registry;

/// <summary>The auth handler against a scripted server: what it sends, to whom, and how often.</summary>
public sealed class AuthenticationHandlerTests : IDisposable
{
    private static readonly RegistryCredential Robot = RegistryCredential.Basic("robot", "pa55", "test");
    private readonly List<HttpRequestMessage> _seen = [];
    private readonly RegistryEndpoints _endpoints = new(new Dictionary<string, Uri> { ["reg.test"] = new("https://reg.test/") });
    private HttpMessageInvoker? _invoker;

    public void Dispose() => _invoker?.Dispose();

    private HttpMessageInvoker Client(Func<HttpRequestMessage, HttpResponseMessage> server)
    {
        var fake = new ScriptedHandler(request =>
        {
            _seen.Add(request);
            return server(request);
        });
        var credentials = new StaticCredentials(new Dictionary<string, RegistryCredential> { ["reg.test"] = Robot });
        var tokens = new HttpMessageInvoker(fake);
        _invoker = new HttpMessageInvoker(new AuthenticationHandler(credentials, _endpoints, tokens, new ImageSync.Output.SecretSet()) { InnerHandler = fake });
        return _invoker;
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, HttpContent? content = null, bool oneShot = false)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        request.Options.Set(RegistryRequestOptions.Registry, "reg.test");
        request.Options.Set(RegistryRequestOptions.Scopes, ["repository:a/b:pull,push"]);
        request.Options.Set(RegistryRequestOptions.OneShotBody, oneShot);
        return request;
    }

    private static HttpResponseMessage Challenge(string header)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", header);
        return response;
    }

    [Fact]
    public async Task Basic_credentials_answer_the_challenge_and_are_then_sent_up_front_but_never_to_another_host()
    {
        var client = Client(r => r.Headers.Authorization is null && r.RequestUri!.Host == "reg.test" ? Challenge("Basic realm=\"r\"") : new HttpResponseMessage(HttpStatusCode.OK));

        using var first = await client.SendAsync(Request(HttpMethod.Head, "https://reg.test/v2/a/b/manifests/1"), default);
        using var second = await client.SendAsync(Request(HttpMethod.Head, "https://reg.test/v2/a/b/manifests/2"), default);
        using var elsewhere = await client.SendAsync(Request(HttpMethod.Put, "https://storage.test/upload?x=1"), default);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(3 + 1, _seen.Count);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("robot:pa55")), _seen[2].Headers.Authorization?.ToString());
        Assert.Null(_seen[3].Headers.Authorization);
    }

    [Fact]
    public async Task Bearer_tokens_are_fetched_with_service_and_every_scope_and_cached_per_scope_set()
    {
        var client = Client(r => r.RequestUri!.AbsolutePath switch
        {
            "/token" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"access_token\":\"tok\",\"expires_in\":300}") },
            _ when r.Headers.Authorization?.ToString() == "Bearer tok" => new HttpResponseMessage(HttpStatusCode.OK),
            _ => Challenge("Bearer realm=\"https://auth.test/token\",service=\"reg\",scope=\"repository:a/b:pull repository:c/d:pull\""),
        });

        using var first = await client.SendAsync(Request(HttpMethod.Get, "https://reg.test/v2/a/b/manifests/1"), default);
        using var second = await client.SendAsync(Request(HttpMethod.Get, "https://reg.test/v2/a/b/manifests/2"), default);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var tokenRequests = _seen.Where(r => r.RequestUri!.Host == "auth.test").ToList();
        var token = Assert.Single(tokenRequests);
        Assert.Equal("?service=reg&scope=repository%3Aa%2Fb%3Apull%2Cpush&scope=repository%3Aa%2Fb%3Apull&scope=repository%3Ac%2Fd%3Apull", token.RequestUri!.Query);
        Assert.StartsWith("Basic ", token.Headers.Authorization?.ToString(), StringComparison.Ordinal);
        Assert.Equal(["reg.test", "auth.test", "reg.test", "reg.test"], _seen.Select(r => r.RequestUri!.Host));
    }

    [Fact]
    public async Task A_streamed_body_is_never_sent_twice()
    {
        var client = Client(r => Challenge("Basic realm=\"r\""));
        using var response = await client.SendAsync(Request(HttpMethod.Put, "https://reg.test/v2/a/b/blobs/uploads/x", new StreamContent(new MemoryStream([1, 2, 3])), oneShot: true), default);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(_seen);
    }

    [Fact]
    public async Task A_plain_http_realm_for_an_https_registry_gets_no_credentials()
    {
        var client = Client(r => Challenge("Bearer realm=\"http://evil.test/token\",service=\"reg\""));
        var e = await Assert.ThrowsAsync<RegistryException>(() => client.SendAsync(Request(HttpMethod.Get, "https://reg.test/v2/a/b/manifests/1"), default));
        Assert.Contains("refusing to send credentials", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_seen, r => r.RequestUri!.Host == "evil.test");
    }

    [Fact]
    public async Task A_401_from_another_origin_is_handed_back_and_never_replaces_the_registrys_challenge()
    {
        var client = Client(r => r.RequestUri!.Host switch
        {
            "cdn.test" => Challenge("Bearer realm=\"https://cdn.test/token\",service=\"cdn\""),
            "reg.test" when r.Headers.Authorization is null => Challenge("Basic realm=\"r\""),
            _ => new HttpResponseMessage(HttpStatusCode.OK),
        });

        using var first = await client.SendAsync(Request(HttpMethod.Get, "https://reg.test/v2/a/b/manifests/1"), default);
        using var cdn = await client.SendAsync(Request(HttpMethod.Get, "https://cdn.test/blob?sig=1"), default);
        using var after = await client.SendAsync(Request(HttpMethod.Get, "https://reg.test/v2/a/b/manifests/2"), default);

        Assert.Equal(HttpStatusCode.Unauthorized, cdn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.All(_seen.Where(r => r.RequestUri!.Host == "cdn.test"), r => Assert.Null(r.Headers.Authorization));
        Assert.Single(_seen, r => r.RequestUri!.Host == "cdn.test");
        Assert.StartsWith("Basic ", _seen[^1].Headers.Authorization?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_host_on_another_port_or_scheme_is_another_origin_and_gets_no_credentials()
    {
        var client = Client(r => r.Headers.Authorization is null && r.RequestUri!.Authority == "reg.test" ? Challenge("Basic realm=\"r\"") : new HttpResponseMessage(HttpStatusCode.OK));

        using var first = await client.SendAsync(Request(HttpMethod.Get, "https://reg.test/v2/a/b/manifests/1"), default);
        using var port = await client.SendAsync(Request(HttpMethod.Get, "https://reg.test:8443/v2/a/b/manifests/1"), default);
        using var scheme = await client.SendAsync(Request(HttpMethod.Get, "http://reg.test/v2/a/b/manifests/1"), default);

        Assert.Null(_seen[^2].Headers.Authorization);
        Assert.Null(_seen[^1].Headers.Authorization);
    }

    [Fact]
    public async Task A_token_endpoint_that_redirects_is_not_followed()
    {
        var client = Client(r => r.RequestUri!.AbsolutePath switch
        {
            "/token" => new HttpResponseMessage(HttpStatusCode.TemporaryRedirect) { Headers = { Location = new Uri("https://thief.test/steal") } },
            _ => Challenge("Bearer realm=\"https://auth.test/token\",service=\"reg\""),
        });

        var e = await Assert.ThrowsAsync<RegistryException>(() => client.SendAsync(Request(HttpMethod.Get, "https://reg.test/v2/a/b/manifests/1"), default));

        Assert.Contains("redirected to thief.test", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_seen, r => r.RequestUri!.Host == "thief.test");
    }

    private sealed class ScriptedHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Keep what was sent: the handler may change headers on the same message before replaying it.
            var copy = new HttpRequestMessage(request.Method, request.RequestUri);
            if (request.Headers.Authorization is { } auth)
            {
                copy.Headers.Authorization = auth;
            }
            var response = respond(copy);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
