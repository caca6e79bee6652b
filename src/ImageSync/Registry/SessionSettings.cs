using ImageSync.Output;
using ImageSync.Registry.Http;

namespace ImageSync.Registry;

/// <summary>How to reach registries and log in, from flags and environment, before any request is made.</summary>
public sealed record SessionSettings
{
    public IReadOnlyList<string> RegistryMappings { get; init; } = [];
    public string? AccessToken { get; init; }
    public string? TargetRepoAuthKeyPath { get; init; }
    /// <summary>Blob transfers at once, unless --concurrency says otherwise: bandwidth-bound, so a few suffice.</summary>
    public const int DefaultConcurrency = 8;

    /// <summary>
    /// A blob this small (a config, a tiny layer) moves in less time than a round trip takes: its copy is bound by
    /// latency, not bandwidth, so it takes no transfer slot (the host throttle bounds its requests, so at most a few
    /// MiB of such blobs are in flight).
    /// </summary>
    public const long SlotFreeBlobBytes = 512 * 1024;

    /// <summary>Tags checked at once, unless --checks says otherwise: latency-bound HEADs, so many.</summary>
    public const int DefaultChecks = 64;

    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>Tags checked at once; connections per host follow the wider of this and the transfers.</summary>
    public int Checks { get; init; } = DefaultChecks;
    public TextWriter? DebugLog { get; init; }
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
    public Timeouts Timeouts { get; init; } = Timeouts.Default;
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The run's secrets: every credential this session finds, and every token it is issued, is added.</summary>
    public SecretSet Secrets { get; init; } = new();
}
