using System.Globalization;

namespace DelayProxy;

/// <summary>One listener: requests to 127.0.0.1:<see cref="ListenPort"/> reach 127.0.0.1:<see cref="UpstreamPort"/>,
/// each delayed by <see cref="DelayMs"/> before its first byte is passed on.</summary>
internal sealed record Route(int ListenPort, int UpstreamPort, int DelayMs)
{
    /// <summary>Parses LISTEN_PORT:UPSTREAM_PORT:DELAY_MS.</summary>
    public static Route Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var listen) || listen is < 1 or > 65535
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var upstream) || upstream is < 1 or > 65535
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var delay) || delay > 60_000)
        {
            throw new FormatException($"bad route '{text}': want LISTEN_PORT:UPSTREAM_PORT:DELAY_MS (ports 1-65535, delay 0-60000)");
        }
        return new Route(listen, upstream, delay);
    }
}
