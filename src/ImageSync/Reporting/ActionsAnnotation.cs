namespace ImageSync.Reporting;

/// <summary>
/// GitHub Actions' workflow command for an error (<c>::error title=...::message</c>): the failure shows on the run's
/// summary page and in the pull request, not only deep in the log. Printed through the output guard like any line.
/// Escaping as actions/toolkit's <c>command.ts</c> does it: the message's %, CR and LF; a property's also : and ,.
/// </summary>
public static class ActionsAnnotation
{
    /// <summary>Whether the run is a GitHub Actions job (the runner sets <c>GITHUB_ACTIONS=true</c>).</summary>
    public static bool Enabled(Func<string, string?> environment) => environment("GITHUB_ACTIONS") == "true";

    public static string Error(string? title, string message) =>
        $"::error{(title is null ? "" : $" title={Property(title)}")}::{Data(message)}";

    private static string Data(string text) =>
        text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string Property(string text) =>
        Data(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
