namespace ImageSync.Reporting;

/// <summary>The process's exit codes, defined once: scripts and CI read them.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done, and is in sync.</summary>
    public const int Success = 0;

    /// <summary>Bad usage, an invalid configuration, or an operation that failed.</summary>
    public const int Failure = 1;

    /// <summary>Done, but not everything is in sync (Status) or a tag conflicts (SyncAll: nothing was overwritten).</summary>
    public const int NotInSync = 2;

    /// <summary>Interrupted by Ctrl-C (SIGINT): 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Terminated by SIGTERM, which a CI runner sends on cancel: 128 + 15.</summary>
    public const int Terminated = 143;
}
