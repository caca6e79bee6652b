using ImageSync.References;

namespace ImageSync.Copy;

/// <summary>What happened to one tag. The names are what scripts and CI read from the report: keep them.</summary>
public enum TagAction
{
    InSync,
    Copied,
    WouldCopy,
    Missing,
    Outdated,
    Conflict,
    UpstreamMissing,
    Error,

    /// <summary>The image's verify policy refused the upstream digest's signatures; nothing of the tag was written.</summary>
    Unverified,
}

public static class TagActions
{
    public static string Name(this TagAction action) => action switch
    {
        TagAction.InSync => "in-sync",
        TagAction.Copied => "copied",
        TagAction.WouldCopy => "would-copy",
        TagAction.Missing => "missing",
        TagAction.Outdated => "outdated",
        TagAction.Conflict => "conflict",
        TagAction.UpstreamMissing => "upstream-missing",
        TagAction.Unverified => "unverified",
        _ => "error",
    };
}

/// <summary>
/// One tag's outcome: both sides' digests, what was done, bytes moved and how long it took. <see cref="Transient"/>:
/// the error was only ever transient (5xx, 429, a dropped connection), so the run tries the tag once more at its
/// end; <see cref="RetriedAfter"/> is then the first attempt's error.
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
    IReadOnlyList<string>? Notes = null)
{
    /// <summary>
    /// One inert line, whatever it quotes (a registry's answer, a platform, a manifest field): it is shown in the
    /// table, the step summary and the report.
    /// </summary>
    public string? Error { get; init; } = Error is null ? null : Output.Untrusted.Line(Error, Errors.ImageSyncException.MaxMessageLength);
}
