using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Support;

/// <summary>
/// The storage host behind a registry front (registry.istio.io's R2 buckets, ghcr.io's S3, a CloudFront
/// distribution): serves blobs only at URLs the front signed, each valid until its <c>expires</c>, and answers an
/// expired or forged one with S3's 403 <c>AccessDenied</c> (<c>Request has expired</c>). The bytes come from the real
/// registry behind it; Range is passed on, so a resumed download works as on S3.
/// </summary>
internal sealed class SignedBlobStorage : IAsyncDisposable
{
    private readonly HostileServer _server;
    private readonly HttpClient _http;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    private SignedBlobStorage(HostileServer server, HttpClient http) => (_server, _http) = (server, http);

    public Uri Url => _server.Url;

    /// <summary>Every request the storage host saw, with the Authorization it carried (it must never carry one).</summary>
    public ConcurrentQueue<SeenRequest> Seen => _server.Seen;

    /// <summary>How many requests were refused as expired or forged.</summary>
    public int Refused => _refused;

    private int _refused;

    /// <summary>When set, every URL is refused, fresh or not: storage that is failing.</summary>
    public bool RefuseAll { get; set; }

    public static async Task<SignedBlobStorage> StartAsync(Uri registry)
    {
        var http = new HttpClient();
        SignedBlobStorage? storage = null;
        var server = await HostileServer.StartAsync(async (context, _) => await storage!.ServeAsync(context, registry, http));
        storage = new SignedBlobStorage(server, http);
        return storage;
    }

    /// <summary>A signed URL for <c>/v2/REPO/blobs/DIGEST</c>, valid for <paramref name="validFor"/> (negative: already expired).</summary>
    public Uri Sign(string registryPath, TimeSpan validFor)
    {
        var expires = DateTimeOffset.UtcNow.Add(validFor).ToUnixTimeSeconds();
        return new Uri(Url, $"{registryPath.TrimStart('/')}?X-Amz-Expires={expires}&X-Amz-Signature={Signature(registryPath, expires)}");
    }

    private string Signature(string path, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{path}\n{expires}")));

    private async Task ServeAsync(HttpContext context, Uri registry, HttpClient http)
    {
        var path = context.Request.Path.Value!;
        var valid = long.TryParse(context.Request.Query["X-Amz-Expires"], out var expires)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(context.Request.Query["X-Amz-Signature"].ToString()), Encoding.ASCII.GetBytes(Signature(path, expires)))
            && DateTimeOffset.FromUnixTimeSeconds(expires) > DateTimeOffset.UtcNow;
        if (!valid || RefuseAll || context.Request.Headers.Authorization.Count > 0)
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = 403;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(registry, path.TrimStart('/')));
        if (context.Request.Headers.Range.Count > 0)
        {
            request.Headers.TryAddWithoutValidation("Range", context.Request.Headers.Range.ToString());
        }
        using var blob = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)blob.StatusCode;
        foreach (var header in blob.Content.Headers)
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }
        await blob.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }
}
