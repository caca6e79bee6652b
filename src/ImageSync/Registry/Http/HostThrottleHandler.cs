using System.Collections.Concurrent;
using System.Net;

namespace ImageSync.Registry.Http;

/// <summary>
/// Bounds the requests in flight per host, and halves that bound for the rest of the run each time a host answers
/// 429: a registry that says "too many" gets fewer, not just the same request again later. A host that answers 5xx
/// to at least half of a block of requests (<see cref="ServerErrorRate"/>) is overloaded in all but name and is
/// halved the same way: with 64 checks in flight against a registry that fails every second request, five attempts
/// of one request can all land on failing slots (issue 18 §3); fewer at once gives each retry a fair chance.
/// </summary>
internal sealed class HostThrottleHandler(int perHost, TextWriter? debugLog) : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var host = request.RequestUri!.Authority;
        var gate = _gates.GetOrAdd(host, _ => new Gate(perHost));
        await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var why = response.StatusCode == HttpStatusCode.TooManyRequests ? "answered 429"
                : gate.Errors.Record((int)response.StatusCode >= 500) ? $"answered 5xx to half of its last {ServerErrorRate.Window} requests or more"
                : null;
            if (why is not null && gate.Halve() is { } now && debugLog is not null)
            {
                lock (debugLog)
                {
                    debugLog.WriteLine($"debug: {host} {why}: at most {now} request{(now == 1 ? "" : "s")} at once to it for the rest of the run");
                }
            }
            return response;
        }
        finally
        {
            gate.Leave();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var gate in _gates.Values)
            {
                gate.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    /// <summary>A semaphore whose size can only shrink: a smaller size is taken out as permits come back.</summary>
    private sealed class Gate(int size) : IDisposable
    {
        private readonly SemaphoreSlim _permits = new(size, size);
        private readonly Lock _lock = new();
        private int _size = size;
        private int _owed;

        public ServerErrorRate Errors { get; } = new();

        public Task EnterAsync(CancellationToken cancellationToken) => _permits.WaitAsync(cancellationToken);

        public void Leave()
        {
            lock (_lock)
            {
                if (_owed > 0)
                {
                    _owed--;
                    return;
                }
            }
            _permits.Release();
        }

        public void Dispose() => _permits.Dispose();

        /// <returns>The new size, or null when it was already 1.</returns>
        public int? Halve()
        {
            lock (_lock)
            {
                if (_size == 1)
                {
                    return null;
                }
                var smaller = Math.Max(1, _size / 2);
                _owed += _size - smaller;
                _size = smaller;
                return smaller;
            }
        }
    }
}
