using ImageSync.Output;

namespace ImageSync.Errors;

/// <summary>
/// How a failure that escaped a target is told: an <see cref="ImageSyncException"/> is the user's to act on, so its
/// one line; anything else is a defect in imagesync, said as one so it is not mistaken for a registry fault, with
/// the stack (for the bug report) only under <c>--debug</c>. Every line is still printed through the output guard.
/// </summary>
public static class FailureText
{
    public static IReadOnlyList<string> Describe(string target, Exception exception, bool debug)
    {
        if (exception is ImageSyncException)
        {
            return [$"error: {target}: {Untrusted.Line(exception.Message)}"];
        }
        var line = $"error: {target}: internal error, a defect in imagesync ({exception.GetType().Name}: {Untrusted.Line(exception.Message)}); " +
            (debug ? "please report it with the stack below" : "run again with --debug for the stack to report");
        return debug ? [line, exception.ToString()] : [line];
    }
}
