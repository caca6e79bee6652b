using System.Diagnostics;

namespace ImageSync.Registry.Http;

/// <summary>
/// With --debug, one line per request that reaches the network: method, URL without its query, status, time.
/// Headers are never written, so no credential or token can reach the log.
/// </summary>
public sealed class DebugLogHandler(TextWriter log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var target = request.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Path) : "?";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await WriteAsync($"{request.Method} {target} -> {(int)response.StatusCode} ({clock.ElapsedMilliseconds} ms)").ConfigureAwait(false);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            await WriteAsync($"{request.Method} {target} -> {e.GetType().Name} ({clock.ElapsedMilliseconds} ms)").ConfigureAwait(false);
            throw;
        }
    }

    private async Task WriteAsync(string line)
    {
        // Several copies log at once; TextWriter is not thread-safe.
        lock (log)
        {
            log.WriteLine("debug: " + line);
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }
}
