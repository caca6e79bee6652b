using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Support;

/// <summary>
/// A Docker token server on loopback for distribution's <c>auth.token</c>: checks Basic credentials, issues RS256
/// JWTs signed by a certificate the test made (its PEM is the registry's rootcertbundle), and records each request.
/// </summary>
internal sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "test-registry";
    public const string Issuer = "imagesync-test-issuer";

    private readonly WebApplication _app;
    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;

    private TokenServer(WebApplication app, RSA key, X509Certificate2 certificate, string certificatePath, Uri realm, string service)
    {
        ServiceName = service;
        _app = app;
        _key = key;
        _certificate = certificate;
        CertificatePath = certificatePath;
        Realm = realm;
    }

    public string CertificatePath { get; }

    public Uri Realm { get; }

    /// <summary>Every token request: the Authorization header it carried and the scopes it asked for.</summary>
    public ConcurrentQueue<(string? Authorization, string[] Scopes)> Requests { get; } = new();

    /// <summary>The service the registry names in its challenge (Docker Hub's is registry.docker.io).</summary>
    public string ServiceName { get; }

    public RegistryAuth.Token RegistryAuth => new(Realm.ToString(), ServiceName, Issuer, CertificatePath);

    /// <summary>The OAuth2 refresh token (Docker's identitytoken) the POST form of the endpoint accepts.</summary>
    public const string RefreshToken = "refresh-0123456789";

    /// <param name="anonymousPull">Issue pull-only tokens to callers without credentials, as Docker Hub, ghcr.io and quay.io do for public repositories.</param>
    public static async Task<TokenServer> StartAsync(string user, string password, string directory, string service = Service, bool anonymousPull = false)
    {
        var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=imagesync test token issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(directory, "token-root.pem");
        await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());

        TokenServer? server = null;
        var (app, url) = await LoopbackWebApp.StartAsync(app =>
        {
            app.MapPost("/token", async (HttpContext context) =>
            {
                var form = await context.Request.ReadFormAsync();
                var scopes = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                server!.Requests.Enqueue(($"POST grant_type={form["grant_type"]}", scopes));
                return form["grant_type"] == "refresh_token" && form["refresh_token"] == RefreshToken && form["service"] == Service
                    ? Results.Json(new { access_token = server.Issue(user, scopes), expires_in = 300 })
                    : Results.Json(new { error = "invalid_grant" }, statusCode: 401);
            });
            app.MapGet("/token", (HttpContext context) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            var scopes = context.Request.Query["scope"].Where(s => s is not null).Select(s => s!).ToArray();
            server!.Requests.Enqueue((authorization.Length == 0 ? null : authorization, scopes));
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
            if (authorization.Length == 0 && anonymousPull)
            {
                var pullOnly = scopes.Select(s => s.EndsWith(":pull,push", StringComparison.Ordinal) ? s[..^",push".Length] : s).Where(s => s.EndsWith(":pull", StringComparison.Ordinal)).ToArray();
                return Results.Json(new { token = server.Issue("anonymous", pullOnly), expires_in = 300 });
            }
            if (authorization != expected)
            {
                return Results.Json(new { errors = new[] { new { code = "UNAUTHORIZED", message = "bad credentials" } } }, statusCode: 401);
            }
            return Results.Json(new { token = server.Issue(user, scopes), expires_in = 300 });
        });
        });
        server = new TokenServer(app, key, certificate, certificatePath, new Uri(url, "token"), service);
        return server;
    }

    private string Issue(string subject, string[] scopes)
    {
        var access = scopes.Select(s => s.Split(':')).Where(p => p.Length >= 3).Select(p => new
        {
            type = p[0],
            name = string.Join(":", p[1..^1]),
            actions = p[^1].Split(','),
        });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { alg = "RS256", typ = "JWT", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new { iss = Issuer, sub = subject, aud = ServiceName, exp = now + 300, nbf = now - 10, iat = now, jti = Guid.NewGuid().ToString("N"), access };
        var signingInput = $"{Base64Url(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
    }
}
