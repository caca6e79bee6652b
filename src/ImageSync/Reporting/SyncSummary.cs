using ImageSync.Copy;

namespace ImageSync.Reporting;

/// <summary>Totals over a run, and the one place results become an exit code.</summary>
public sealed record SyncSummary(int Total, IReadOnlyDictionary<string, int> ByAction, long Bytes, TimeSpan Duration)
{
    public static SyncSummary From(IReadOnlyList<TagResult> results, TimeSpan duration) => new(
        results.Count,
        results.GroupBy(r => r.Action.Name()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
        results.Sum(r => r.Bytes),
        duration);

    /// <summary>Status: 0 all in sync, 2 anything missing, outdated, conflicting or gone upstream, 1 on errors and refused signatures.</summary>
    public static int StatusExitCode(IReadOnlyList<TagResult> results) =>
        results.Any(r => r.Action is TagAction.Error or TagAction.Unverified) ? ExitCodes.Failure
        : results.All(r => r.Action == TagAction.InSync) ? ExitCodes.Success
        : ExitCodes.NotInSync;

    /// <summary>Sync: 0 everything ended in sync, 2 conflicts (nothing overwritten) and nothing worse, 1 any other failure.</summary>
    public static int SyncExitCode(IReadOnlyList<TagResult> results, int expected) =>
        results.Count < expected || results.Any(r => r.Action is TagAction.Error or TagAction.UpstreamMissing or TagAction.Unverified) ? ExitCodes.Failure
        : results.Any(r => r.Action == TagAction.Conflict) ? ExitCodes.NotInSync
        : ExitCodes.Success;

    /// <summary>
    /// Merged reports of a sharded run, whatever target wrote them: 1 on any error or a tag gone upstream, 2 on a
    /// conflict or a tag not in sync, 0 when every tag is in sync, copied or (dry run) would be copied.
    /// </summary>
    public static int MergedExitCode(IReadOnlyList<TagResult> results) =>
        results.Any(r => r.Action is TagAction.Error or TagAction.UpstreamMissing or TagAction.Unverified) ? ExitCodes.Failure
        : results.Any(r => r.Action is TagAction.Conflict or TagAction.Missing or TagAction.Outdated) ? ExitCodes.NotInSync
        : ExitCodes.Success;
}
