using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Support;

/// <summary>One request as a hostile server saw it: everything a leak could hide in.</summary>
internal sealed record SeenRequest(string Method, string PathAndQuery, string? Authorization, string Body);

/// <summary>
/// A server on loopback that answers every request with a script the test writes (a registry, CDN, token endpoint
/// or git host behaving badly) and records what it was sent, headers and body.
/// </summary>
internal sealed class HostileServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HostileServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>host:port, as a registry name or an origin.</summary>
    public string Authority => Url.Authority;

    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    /// <param name="tls">Serve https with a self-signed certificate for 127.0.0.1 (reach it with insecure: true).</param>
    public static async Task<HostileServer> StartAsync(Func<HttpContext, string, Task> answer, bool tls = false)
    {
        HostileServer? server = null;
        var (app, url) = await LoopbackWebApp.StartAsync(app => app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            server!.Seen.Enqueue(new SeenRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.FirstOrDefault(), body));
            await answer(context, body);
        }), tls ? LoopbackWebApp.SelfSignedCertificate() : null);
        server = new HostileServer(app, url);
        return server;
    }

    public static Task Json(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
