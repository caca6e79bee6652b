using System.Diagnostics;
using System.Globalization;

namespace DelayProxy;

/// <summary>What one route did: connections, requests, and the delay each request really got (a timer is late under
/// load; the bench reports the mean it measured, not the one it asked for). Updated lock-free.</summary>
internal sealed class Counters(Route route)
{
    private long _connections;
    private long _requests;
    private long _delayTicks;
    private long _maxDelayTicks;
    private long _refused;
    private long _incomplete;

    public void Connection() => Interlocked.Increment(ref _connections);

    public void UpstreamRefused() => Interlocked.Increment(ref _refused);

    /// <summary>A connection ended inside what began as a request: delayed and counted, but no HTTP request (a TLS
    /// ClientHello sent to a plain-HTTP registry), so the registry does not log it.</summary>
    public void Incomplete() => Interlocked.Increment(ref _incomplete);

    public void Request(long delayTicks)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _delayTicks, delayTicks);
        var max = Volatile.Read(ref _maxDelayTicks);
        while (delayTicks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxDelayTicks, delayTicks, max);
            if (seen == max)
            {
                break;
            }
            max = seen;
        }
    }

    /// <summary>One line, key=value, for bench/latency.sh to read.</summary>
    public string Line()
    {
        var requests = Volatile.Read(ref _requests);
        var msPerTick = 1000.0 / Stopwatch.Frequency;
        var sum = Volatile.Read(ref _delayTicks) * msPerTick;
        var mean = requests == 0 ? 0 : sum / requests;
        return string.Create(CultureInfo.InvariantCulture,
            $"delay-proxy listen={route.ListenPort} upstream={route.UpstreamPort} delay_ms={route.DelayMs} "
            + $"connections={Volatile.Read(ref _connections)} requests={requests} refused={Volatile.Read(ref _refused)} incomplete={Volatile.Read(ref _incomplete)} "
            + $"delay_ms_sum={sum:F1} delay_ms_mean={mean:F2} delay_ms_max={Volatile.Read(ref _maxDelayTicks) * msPerTick:F2}");
    }
}
