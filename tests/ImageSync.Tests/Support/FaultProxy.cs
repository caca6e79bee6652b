using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ImageSync.Tests.Support;

/// <summary>What the proxy does to one request instead of forwarding it faithfully.</summary>
internal abstract record Fault
{
    public sealed record Status(int Code, string? RetryAfter = null) : Fault;

    /// <summary>Forward, but cut the connection after this many body bytes.</summary>
    public sealed record CutAfter(int Bytes) : Fault;

    /// <summary>Forward with one body byte changed: same length, wrong digest.</summary>
    public sealed record Corrupt(int Offset) : Fault;

    /// <summary>Forward, and add these headers to the answer (a service's own headers, such as Docker Hub's rate limits).</summary>
    public sealed record AddHeaders(IReadOnlyDictionary<string, string> Headers) : Fault;

    /// <summary>Forward, but leave these headers out of the answer (a registry that omits them).</summary>
    public sealed record DropHeaders(params string[] Names) : Fault;

    /// <summary>Answer with this instead of forwarding: a hostile registry's own behaviour.</summary>
    public sealed record Respond(Func<HttpContext, Task> Answer) : Fault;

    /// <summary>Forward, then change the answer's status or headers before its body is sent (a registry that answers a PATCH with 201).</summary>
    public sealed record Adjust(Action<HttpResponse> Answer) : Fault;

    /// <summary>Forward the headers and the first bytes, then the rest one chunk at a time with a pause before each.</summary>
    public sealed record Trickle(int FirstBytes, int ChunkBytes, TimeSpan Pause) : Fault;
}

/// <summary>
/// A reverse proxy on loopback in front of a real registry that injects faults: error statuses with Retry-After,
/// and connections dropped in the middle of a body. Every request it sees is recorded.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private static readonly string[] SkippedRequestHeaders = ["Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection"];

    /// <summary>Pass the client's Host on, so the registry's Location headers point back at the proxy.</summary>
    public bool ForwardHost { get; init; }
    private readonly WebApplication _app;
    private readonly HttpClient _forward = new(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = System.Net.DecompressionMethods.None });

    private FaultProxy(WebApplication app) => _app = app;

    public Uri Url { get; private init; } = null!;

    /// <summary>Decides a fault for a request, given how many requests with the same method and path came before.</summary>
    public Func<HttpRequest, int, Fault?> Rule { get; set; } = (_, _) => null;

    public ConcurrentQueue<(string Method, string Path, string? Range, int Status)> Seen { get; } = new();

    private readonly ConcurrentDictionary<string, int> _counts = new();

    public static async Task<FaultProxy> StartAsync(Uri upstream, bool forwardHost = false)
    {
        FaultProxy? proxy = null;
        var (app, url) = await LoopbackWebApp.StartAsync(app => app.Run(context => proxy!.HandleAsync(context, upstream)));
        proxy = new FaultProxy(app) { Url = url, ForwardHost = forwardHost };
        return proxy;
    }

    private async Task HandleAsync(HttpContext context, Uri upstream)
    {
        var request = context.Request;
        var key = $"{request.Method} {request.Path}";
        var count = _counts.AddOrUpdate(key, 0, (_, c) => c + 1);
        var range = request.Headers.Range.ToString();
        var fault = Rule(request, count);
        if (fault is Fault.Respond respond)
        {
            await respond.Answer(context);
            Seen.Enqueue((request.Method, request.Path + request.QueryString, range, context.Response.StatusCode));
            return;
        }
        if (fault is Fault.Status status)
        {
            Seen.Enqueue((request.Method, request.Path + request.QueryString, range, status.Code));
            context.Response.StatusCode = status.Code;
            if (status.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = status.RetryAfter;
            }
            return;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(upstream, request.Path + request.QueryString));
        if (ForwardHost)
        {
            forward.Headers.Host = request.Host.Value;
        }
        foreach (var header in request.Headers.Where(h => !SkippedRequestHeaders.Contains(h.Key, StringComparer.OrdinalIgnoreCase)))
        {
            forward.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        }
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            forward.Content = new StreamContent(request.Body);
            if (request.ContentType is { } type)
            {
                forward.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
            if (request.ContentLength is { } length)
            {
                forward.Content.Headers.ContentLength = length;
            }
        }
        using var response = await _forward.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                && !(fault is Fault.DropHeaders drop && drop.Names.Contains(header.Key, StringComparer.OrdinalIgnoreCase)))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }
        if (fault is Fault.AddHeaders add)
        {
            foreach (var (name, value) in add.Headers)
            {
                context.Response.Headers[name] = value;
            }
        }
        if (fault is Fault.Adjust adjust)
        {
            adjust.Answer(context.Response);
        }
        Seen.Enqueue((request.Method, request.Path + request.QueryString, range, context.Response.StatusCode));
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        if (fault is Fault.CutAfter cut)
        {
            var buffer = new byte[cut.Bytes];
            var read = await body.ReadAtLeastAsync(buffer, cut.Bytes, throwOnEndOfStream: false);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read));
            await context.Response.Body.FlushAsync();
            context.Abort();
            return;
        }
        if (fault is Fault.Trickle trickle)
        {
            var buffer = new byte[Math.Max(trickle.FirstBytes, trickle.ChunkBytes)];
            var read = await body.ReadAtLeastAsync(buffer.AsMemory(0, trickle.FirstBytes), trickle.FirstBytes, throwOnEndOfStream: false);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            while ((read = await body.ReadAtLeastAsync(buffer.AsMemory(0, trickle.ChunkBytes), trickle.ChunkBytes, throwOnEndOfStream: false)) > 0)
            {
                await Task.Delay(trickle.Pause, context.RequestAborted);
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
            return;
        }
        if (fault is Fault.Corrupt corrupt)
        {
            var all = new MemoryStream();
            await body.CopyToAsync(all);
            var bytes = all.ToArray();
            bytes[corrupt.Offset] ^= 0xff;
            await context.Response.Body.WriteAsync(bytes);
            return;
        }
        if (request.Method != "HEAD")
        {
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _forward.Dispose();
    }
}
