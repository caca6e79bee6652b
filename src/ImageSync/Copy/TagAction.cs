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
