using ImageSync.Common;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ImageSync.Output;
using ImageSync.Registry.Http;

namespace ImageSync.Registry.Auth;

/// <summary>
/// Answers registry challenges so that copy code never sees a 401: Basic, or Bearer through the token endpoint the
/// registry names (GET with Basic credentials, or the OAuth2 refresh-token POST for identity tokens). The challenge
/// a registry gave once is reused for every later request, so a token is attached before sending and a streamed
/// body is never sent just to learn that it needed a token.
/// This is the one place that decides who receives credentials: only the registry's own origin (scheme, host and
/// port of its endpoint), and a token realm that the registry's own 401 named. A 401 from any other host (a CDN a
/// blob was redirected to, an upload host) is handed back untouched: it never replaces the registry's challenge.
/// Every credential it sends and every token it is issued joins the run's <see cref="SecretSet"/>.
/// </summary>
public sealed class AuthenticationHandler : DelegatingHandler
{
    private const int MaxTokenResponse = 64 * 1024;
    private static readonly TimeSpan MinimumLifetime = TimeSpan.FromSeconds(60);

    private readonly ICredentialProvider _credentials;
    private readonly RegistryEndpoints _endpoints;
    private readonly HttpMessageInvoker _tokenClient;
    private readonly TokenCache _tokens;
    private readonly ConcurrentDictionary<string, AuthChallenge> _challenges = new(StringComparer.Ordinal);
    // Scopes a registry asked for beyond ours (insufficient_scope): later requests ask for them up front.
    private readonly ConcurrentDictionary<string, string[]> _grownScopes = new(StringComparer.Ordinal);

    private readonly SecretSet _secrets;

    public AuthenticationHandler(ICredentialProvider credentials, RegistryEndpoints endpoints, HttpMessageInvoker tokenClient, SecretSet secrets, TimeProvider? time = null)
    {
        _secrets = secrets;
        _credentials = credentials;
        _endpoints = endpoints;
        _tokenClient = tokenClient;
        _tokens = new TokenCache(time ?? TimeProvider.System);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(RegistryRequestOptions.Registry, out var registry))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        if (!IsRegistryOrigin(registry, request.RequestUri))
        {
            request.Headers.Authorization = null;
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        var scopes = request.Options.TryGetValue(RegistryRequestOptions.Scopes, out var s) ? s : [];
        var credential = await _credentials.GetAsync(registry, cancellationToken).ConfigureAwait(false);
        request.Options.Set(RegistryRequestOptions.CredentialSource, credential?.Source ?? "");
        if (credential is not null)
        {
            _secrets.AddBasic(credential.Username, credential.Password);
            _secrets.Add(credential.IdentityToken);
            _secrets.Add(credential.BearerToken);
        }

        await AuthorizeAsync(request, registry, scopes, credential, refresh: false, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || credential?.BearerToken is not null)
        {
            return response;
        }
        var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.Select(h => h.ToString()))
            .FirstOrDefault(c => c.Scheme is "bearer" or "basic");
        if (challenge is null)
        {
            return response;
        }
        var known = _challenges.TryGetValue(registry, out var previous) ? previous : null;
        _challenges[registry] = challenge;
        if (!CanReplay(request))
        {
            return response;
        }
        // Retry once: with the new challenge, with the scopes the server asked for, or with a fresh token.
        var wanted = Grown(registry, scopes).Union(challenge.Scopes, StringComparer.Ordinal).ToArray();
        _grownScopes[TokenCache.Key(registry, scopes)] = wanted;
        var first = known is null || known.Scheme != challenge.Scheme || known.Realm != challenge.Realm;
        if (!await AuthorizeAsync(request, registry, wanted, credential, refresh: !first, cancellationToken).ConfigureAwait(false))
        {
            return response;
        }
        response.Dispose();
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static bool CanReplay(HttpRequestMessage request) =>
        !RegistryRequestOptions.IsOneShot(request) && (request.Content is null or ByteArrayContent);

    private async Task<bool> AuthorizeAsync(HttpRequestMessage request, string registry, string[] scopes, RegistryCredential? credential, bool refresh, CancellationToken cancellationToken)
    {
        if (credential?.BearerToken is { } staticToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", staticToken);
            return true;
        }
        if (!_challenges.TryGetValue(registry, out var challenge))
        {
            return false;
        }
        if (challenge.Scheme == "basic")
        {
            if (credential is not { HasBasic: true })
            {
                return false;
            }
            request.Headers.Authorization = BasicHeader(credential);
            return true;
        }
        scopes = Grown(registry, scopes);
        var key = TokenCache.Key(registry, scopes);
        if (refresh)
        {
            _tokens.Invalidate(key);
        }
        var token = await _tokens.GetAsync(key, () => FetchTokenAsync(registry, challenge, scopes, credential, cancellationToken)).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return true;
    }

    private bool IsRegistryOrigin(string registry, Uri? uri)
    {
        var home = _endpoints.BaseUri(registry);
        return uri is not null && Origin.Same(uri, home);
    }

    private string[] Grown(string registry, string[] scopes) =>
        _grownScopes.TryGetValue(TokenCache.Key(registry, scopes), out var grown) ? grown : scopes;

    private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(string registry, AuthChallenge challenge, string[] scopes, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var realm = ValidateRealm(registry, challenge.Realm);
        using var request = credential?.IdentityToken is { } refreshToken
            ? RefreshTokenRequest(realm, challenge.Service, scopes, refreshToken)
            : TokenGetRequest(realm, challenge.Service, scopes, credential);
        using var response = await _tokenClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if ((int)response.StatusCode is >= 300 and < 400)
        {
            // Following would carry the credentials or the refresh token to wherever the Location points.
            var to = response.Headers.Location is { IsAbsoluteUri: true } l ? l.Authority : "another address";
            throw new RegistryException($"logging in to {registry}: the token endpoint {realm.Authority} redirected to {Untrusted.Line(to)}; imagesync does not follow a token request with its credentials", response.StatusCode);
        }
        if (!response.IsSuccessStatusCode)
        {
            var hint = credential is null ? "no credentials were found for it" : $"check {credential}";
            var error = await RegistryException.FromResponseAsync($"logging in to {registry} for {string.Join(" ", scopes)}", response, cancellationToken).ConfigureAwait(false);
            throw new RegistryException($"{error.Message} ({hint})", response.StatusCode, error.Codes);
        }
        var body = await ResponseBody.ReadAllAsync(response, MaxTokenResponse, $"logging in to {registry}: the token response", cancellationToken).ConfigureAwait(false);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var token = (root.TryGetProperty("token", out var t) ? t.GetString() : null)
                ?? (root.TryGetProperty("access_token", out var a) ? a.GetString() : null);
            if (string.IsNullOrEmpty(token))
            {
                throw new RegistryException($"logging in to {registry}: the token endpoint returned no token");
            }
            _secrets.Add(token);
            var lifetime = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? TimeSpan.FromSeconds(seconds) : MinimumLifetime;
            return (token, lifetime < MinimumLifetime ? MinimumLifetime : lifetime);
        }
        catch (JsonException)
        {
            throw new RegistryException($"logging in to {registry}: the token endpoint did not answer with JSON");
        }
    }

    /// <summary>
    /// A realm gets credentials, so it must be https, or http only where the registry itself is reached over plain
    /// http: an https registry never sends us to a plain-http realm, loopback included.
    /// </summary>
    private Uri ValidateRealm(string registry, string? realm)
    {
        if (!Uri.TryCreate(realm, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new RegistryException($"{registry} asked for a token from \"{Untrusted.Line(realm, 100)}\", which is not an http(s) URL");
        }
        var registryUri = _endpoints.BaseUri(registry);
        if (uri.Scheme == "http" && registryUri.Scheme != "http")
        {
            throw new RegistryException($"{registry} is reached over https but asked for a token over plain http from {uri.Authority}; refusing to send credentials");
        }
        return uri;
    }

    private static HttpRequestMessage TokenGetRequest(Uri realm, string? service, string[] scopes, RegistryCredential? credential)
    {
        var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query[1..] + "&" : "");
        if (service is not null)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service)).Append('&');
        }
        foreach (var scope in scopes)
        {
            query.Append("scope=").Append(Uri.EscapeDataString(scope)).Append('&');
        }
        var uri = new UriBuilder(realm) { Query = query.ToString().TrimEnd('&') }.Uri;
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (credential is { HasBasic: true })
        {
            request.Headers.Authorization = BasicHeader(credential);
        }
        return request;
    }

    private static HttpRequestMessage RefreshTokenRequest(Uri realm, string? service, string[] scopes, string refreshToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", "imagesync"),
            new("scope", string.Join(" ", scopes)),
        };
        if (service is not null)
        {
            form.Add(new("service", service));
        }
        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }
}
