using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DelayProxy;

/// <summary>One client connection and its own upstream connection. Responses are copied as they come; requests are
/// copied as they come too, except that the first byte of each new request waits the route's delay (the framer says
/// which byte that is). With no pipelining (neither .NET's HttpClient nor Go's net/http pipelines) that is one delay
/// per round trip, as a registry some milliseconds away adds.</summary>
internal sealed class Relay(Socket client, Route route, DelayLine? delay, Counters counters)
{
    private const int BufferSize = 64 * 1024;
    private readonly RequestFramer _framer = new();

    public async Task RunAsync()
    {
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, route.UpstreamPort).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                counters.UpstreamRefused();
                return;
            }
            var requests = PumpRequestsAsync(upstream);
            var responses = PumpAsync(upstream, client);
            var first = await Task.WhenAny(requests, responses).ConfigureAwait(false);
            if (first.IsFaulted)
            {
                // A reset on one side ends the other at once, as a real peer would see it.
                client.Dispose();
                upstream.Dispose();
            }
            await Task.WhenAll(requests, responses).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The connection ended abruptly; the client sees the same reset it would see from the registry.
        }
        finally
        {
            client.Dispose();
            if (_framer.InHead)
            {
                counters.Incomplete();
            }
        }
    }

    private async Task PumpRequestsAsync(Socket upstream)
    {
        var framer = _framer;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var warned = false;
        try
        {
            while (true)
            {
                var n = await client.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    upstream.Shutdown(SocketShutdown.Send);
                    return;
                }
                int pos = 0, sent = 0;
                while (pos < n)
                {
                    if (framer.StartsRequest(buffer[pos]))
                    {
                        if (pos > sent)
                        {
                            await SendAllAsync(upstream, buffer.AsMemory(sent, pos - sent)).ConfigureAwait(false);
                            sent = pos;
                        }
                        await DelayAsync().ConfigureAwait(false);
                    }
                    pos += framer.Consume(buffer.AsSpan(pos, n - pos));
                }
                if (!warned && framer.Unframed is { } why)
                {
                    warned = true;
                    await Console.Error.WriteLineAsync($"delay-proxy {route.ListenPort}: {why}; passing this connection through undelayed").ConfigureAwait(false);
                }
                await SendAllAsync(upstream, buffer.AsMemory(sent, n - sent)).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task DelayAsync()
    {
        var start = Stopwatch.GetTimestamp();
        if (delay is not null)
        {
            await delay.WaitAsync().ConfigureAwait(false);
        }
        counters.Request(Stopwatch.GetTimestamp() - start);
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }
                await SendAllAsync(to, buffer.AsMemory(0, n)).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task SendAllAsync(Socket to, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var n = await to.SendAsync(data, SocketFlags.None).ConfigureAwait(false);
            data = data[n..];
        }
    }
}
