using ImageSync.Copy;

using ImageSync.Common;

namespace ImageSync.Reporting;

/// <summary>What an interrupted run says it left undone: the tags not finished, and the upload sessions it closed or could not.</summary>
public static class InterruptReport
{
    private const int NamesShown = 5;

    public static IEnumerable<string> Lines(RunProgress progress, int total)
    {
        var open = progress.AllInFlight;
        var names = string.Join(", ", open.Take(NamesShown)) + (open.Count > NamesShown ? $" and {open.Count - NamesShown} more" : "");
        // A tag is written last, after all it points to: an unfinished tag was not written, in the target or at all.
        yield return $"interrupted: {progress.TagsDone} of {Plural.Of(total, "tag")} done; {total - progress.TagsDone} left undone"
            + (open.Count > 0 ? $" (stopped while working on {names}; their tags were not written)" : "");
        if (progress.SessionsCancelled > 0)
        {
            yield return $"cancelled {Plural.Of(progress.SessionsCancelled, "open upload session")} in the target";
        }
        foreach (var refused in progress.SessionsNotCancelled)
        {
            yield return $"warning: could not cancel the upload session of {refused}; its bytes stay in the target's uploads until the registry expires them";
        }
    }
}
