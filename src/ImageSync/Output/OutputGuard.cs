using System.Text;

namespace ImageSync.Output;

/// <summary>
/// The one place text leaves the process: the console, the --debug log, the JSON report, the step summary, the
/// commit message and the pull request body all pass through it. It removes every secret the run holds and
/// neutralises everything a CI runner would read as a command, wherever it sits: GitHub's runner splits lines on
/// <c>\n</c> and on a bare <c>\r</c>, reads <c>::command::</c> at the start of a line (after white space), and the
/// legacy <c>##[command]</c> anywhere in a line (actions/runner ActionCommandManager, TryParse's IndexOf("##[")).
/// </summary>
public sealed class OutputGuard(SecretSet secrets)
{
    /// <summary>What the legacy command opener becomes: still readable, no longer <c>##[</c>.</summary>
    internal const string InertLegacyOpener = @"##\[";

    public OutputGuard()
        : this(new SecretSet())
    {
    }

    public SecretSet Secrets { get; } = secrets;

    /// <summary>The text as it may be shown or written.</summary>
    public string Clean(string text)
    {
        text = Secrets.Redact(text);
        return text.Contains("::", StringComparison.Ordinal) || text.Contains("##[", StringComparison.Ordinal) ? NeutraliseCommands(text) : text;
    }

    public string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    /// <summary>A writer that cleans each line before it reaches <paramref name="inner"/>.</summary>
    public TextWriter Wrap(TextWriter inner) => new GuardedWriter(inner, this);

    private static string NeutraliseCommands(string text)
    {
        text = text.Replace("##[", InertLegacyOpener, StringComparison.Ordinal);
        var result = new StringBuilder(text.Length + 16);
        var lineStart = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] is not ('\n' or '\r'))
            {
                continue;
            }
            var line = text.AsSpan(lineStart, i - lineStart);
            if (line.TrimStart().StartsWith("::", StringComparison.Ordinal))
            {
                // A leading character of our own makes the runner treat the line as plain output.
                result.Append("> ");
            }
            result.Append(line);
            if (i < text.Length)
            {
                result.Append(text[i]);
            }
            lineStart = i + 1;
        }
        return result.ToString();
    }
}
