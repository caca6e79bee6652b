using ImageSync.References;

namespace ImageSync.Copy;

/// <summary>
/// One tag's outcome: both sides' digests, what was done, bytes moved and how long it took. <see cref="Transient"/>:
/// the error was only ever transient (5xx, 429, a dropped connection), so the run tries the tag once more at its
/// end; <see cref="RetriedAfter"/> is then the first attempt's error. <see cref="Backup"/>: the old digest of a moved
/// tag, kept (or to be kept) under the image's backup tag.
/// </summary>
public sealed record TagResult(
    string Image,
    string Tag,
    Reference Source,
    Reference Target,
    Digest? SourceDigest,
    Digest? TargetDigestBefore,
    Digest? TargetDigestAfter,
    TagAction Action,
    long Bytes,
    TimeSpan Duration,
    string? Error,
    IReadOnlyList<PlannedBlob>? Plan = null,
    bool Transient = false,
    string? RetriedAfter = null,
    IReadOnlyList<string>? Notes = null,
    TagBackup? Backup = null)
{
    /// <summary>
    /// One inert line, whatever it quotes (a registry's answer, a platform, a manifest field): it is shown in the
    /// table, the step summary and the report.
    /// </summary>
    public string? Error { get; init; } = Error is null ? null : Output.Untrusted.Line(Error, Errors.ImageSyncException.MaxMessageLength);
}
