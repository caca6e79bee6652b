// delay-proxy: TCP relays on loopback that delay each HTTP/1.1 request by a fixed time, a registry some milliseconds
// away. The bench's instrument (bench/latency.sh), so it must cost nearly nothing: async sockets, no parsing of
// responses, request bodies counted rather than read, a large listen backlog so no connection attempt is dropped.
//
//   delay-proxy LISTEN_PORT:UPSTREAM_PORT:DELAY_MS...
//
// Prints "ready" once every listener is bound. On SIGUSR1 it prints one line of counters per route (connections,
// requests, the mean and maximum delay really waited) to stdout; on SIGTERM or SIGINT it prints them and exits.
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using DelayProxy;

if (args.Length == 0)
{
    await Console.Error.WriteLineAsync("usage: delay-proxy LISTEN_PORT:UPSTREAM_PORT:DELAY_MS...").ConfigureAwait(false);
    return 2;
}
List<(Route Route, Counters Counters, Socket Listener)> routes = [];
try
{
    foreach (var arg in args)
    {
        var route = Route.Parse(arg);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, route.ListenPort));
        // The kernel caps this at net.core.somaxconn (4096 on Debian 12); the Python proxy's 5 dropped SYNs.
        listener.Listen(4096);
        routes.Add((route, new Counters(route), listener));
    }
}
catch (Exception e) when (e is FormatException or SocketException)
{
    await Console.Error.WriteLineAsync($"delay-proxy: {e.Message}").ConfigureAwait(false);
    return 2;
}

void Report()
{
    foreach (var (_, counters, _) in routes)
    {
        Console.Out.WriteLine(counters.Line());
    }
    Console.Out.Flush();
}

var done = new TaskCompletionSource();
// SIGUSR1 is 10 on Linux; .NET takes raw signal numbers cast to PosixSignal.
using var usr1 = PosixSignalRegistration.Create((PosixSignal)10, context => { context.Cancel = true; Report(); });
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; done.TrySetResult(); });
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; done.TrySetResult(); });

// One delay line per distinct delay: its deadlines then come in order (see DelayLine).
Dictionary<int, DelayLine> lines = [];
foreach (var (route, counters, listener) in routes)
{
    DelayLine? line = null;
    if (route.DelayMs > 0 && !lines.TryGetValue(route.DelayMs, out line))
    {
        line = lines[route.DelayMs] = new DelayLine(route.DelayMs);
    }
    _ = AcceptAsync(listener, route, line, counters);
}
Console.Out.WriteLine("ready");
Console.Out.Flush();
await done.Task.ConfigureAwait(false);
Report();
return 0;

static async Task AcceptAsync(Socket listener, Route route, DelayLine? delay, Counters counters)
{
    while (true)
    {
        var client = await listener.AcceptAsync().ConfigureAwait(false);
        client.NoDelay = true;
        counters.Connection();
        _ = new Relay(client, route, delay, counters).RunAsync();
    }
}
