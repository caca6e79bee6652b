namespace ImageSync.Output;

/// <summary>
/// The one place text leaves the process: the console, the --debug log, the JSON report, the step summary, the
/// commit message and the pull request body all pass through it. It removes every secret the run holds and
/// neutralises lines that a CI runner would read as commands (GitHub Actions' <c>::command::</c> and <c>##[...]</c>).
/// </summary>
public sealed class OutputGuard(SecretSet secrets)
{
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
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith("::", StringComparison.Ordinal) || trimmed.StartsWith("##[", StringComparison.Ordinal))
            {
                // A leading character of our own makes the runner treat the line as plain output.
                lines[i] = "> " + lines[i];
            }
        }
        return string.Join('\n', lines);
    }
}
