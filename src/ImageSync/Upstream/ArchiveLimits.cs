namespace ImageSync.Upstream;

/// <summary>
/// What imagesync reads of an upstream archive at most. Each bound is far above what a real GitHub archive needs and
/// is checked before the bytes it covers are read or held, so a small archive cannot make the run hold or read
/// without end (a gzip of zeros unpacks about 1,000 times larger).
/// </summary>
public sealed record ArchiveLimits
{
    public static ArchiveLimits Default { get; } = new();

    /// <summary>A PAX or GNU long-name record. Real ones hold a path (at most 4 KiB on Linux) and a few times.</summary>
    public int MaxHeaderRecordBytes { get; init; } = 64 * 1024;

    /// <summary>Any one entry, read or passed over. GitHub refuses to store a file larger than 100 MiB.</summary>
    public long MaxEntryBytes { get; init; } = 100L * 1024 * 1024;

    /// <summary>Everything the archive unpacks to, read or passed over (Istio's repository is well under a fifth of it).</summary>
    public long MaxUnpackedBytes { get; init; } = 1024L * 1024 * 1024;

    public int MaxEntries { get; init; } = 500_000;

    /// <summary>The whole download, retries included: bytes that keep coming never keep the run busy longer.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A file that is kept (read into memory): far above any real sample (Istio's largest is about 100 KiB).</summary>
    public int MaxFileBytes { get; init; } = GitHubSampleReader.MaxFileBytes;

    /// <summary>What all kept files may hold together.</summary>
    public long MaxKeptBytes { get; init; } = GitHubSampleReader.MaxTotalBytes;
}
