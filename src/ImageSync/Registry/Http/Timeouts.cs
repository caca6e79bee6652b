namespace ImageSync.Registry.Http;

/// <summary>
/// How long any wait may last: to connect, for a response's headers, and between two reads of a body. The body
/// limit resets on every byte, so a slow but moving layer still completes; a stalled one fails and is retried.
/// </summary>
public sealed record Timeouts(TimeSpan Connect, TimeSpan Response, TimeSpan Idle)
{
    /// <summary>The wait for a response or the next bytes, unless --timeout says otherwise.</summary>
    public const int DefaultSeconds = 30;

    public static Timeouts Default { get; } = FromSeconds(DefaultSeconds);

    public static Timeouts FromSeconds(int seconds) =>
        new(TimeSpan.FromSeconds(Math.Min(seconds, 15)), TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds));
}
