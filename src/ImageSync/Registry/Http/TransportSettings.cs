namespace ImageSync.Registry.Http;

/// <summary>How a run's transport is built: its limits, its one retry policy, and where its debug log goes.</summary>
public sealed record TransportSettings
{
    public int MaxConnectionsPerServer { get; init; } = 8;
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
    public Timeouts Timeouts { get; init; } = Timeouts.Default;
    public TextWriter? DebugLog { get; init; }

    /// <summary>host:port (see <see cref="TlsRoutingHandler.Origin"/>) whose TLS certificate is accepted unverified.</summary>
    public IReadOnlySet<string> InsecureOrigins { get; init; } = new HashSet<string>();

    /// <summary>Answers some requests before the network stack sees them (the run's OCI layouts); null: none.</summary>
    public DelegatingHandler? Front { get; init; }
}
