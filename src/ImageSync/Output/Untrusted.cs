using System.Text;

namespace ImageSync.Output;

/// <summary>
/// Text that came from outside (a registry's error message, an upstream file's path, a realm) is made inert before it
/// is put into our own messages: one line, no control characters, bounded; in Markdown, a code span that cannot
/// close early, so it can neither inject links nor mention people.
/// </summary>
public static partial class Untrusted
{
    public const int MaxLength = 300;

    public static string Line(string? text, int maxLength = MaxLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var line = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        foreach (var c in text)
        {
            if (line.Length >= maxLength)
            {
                line.Append('…');
                break;
            }
            line.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }
        return line.ToString().Trim();
    }

    /// <summary>
    /// One line that GitHub reads as plain words where no Markdown applies (a commit message): a word joiner
    /// (U+2060) after every <c>#</c>, after every <c>@</c> that could start a mention, and inside every closing keyword, so it cannot mention anyone,
    /// reference an issue or close one (fixes #1, owner/repo#1, a closing keyword before an issue URL) when the
    /// commit lands. It reads the same to people.
    /// </summary>
    public static string Inert(string? text)
    {
        var line = new StringBuilder(Line(text));
        for (var i = line.Length - 1; i >= 0; i--)
        {
            // A mention is an @ after a non-word character (or none); an issue reference is #N after anything (owner/repo#N).
            if (line[i] == '#' || (line[i] == '@' && (i == 0 || !(char.IsLetterOrDigit(line[i - 1]) || line[i - 1] == '_'))))
            {
                line.Insert(i + 1, WordJoiner);
            }
        }
        return ClosingKeyword().Replace(line.ToString(), m => m.Value[..1] + WordJoiner + m.Value[1..]);
    }

    private const char WordJoiner = '\u2060';

    // GitHub's closing keywords (docs: "Linking a pull request to an issue using a keyword").
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ClosingKeyword();

    /// <summary>A Markdown code span: backticks become quotes, so the span cannot end inside the text.</summary>
    public static string Code(string? text) => $"`{Line(text).Replace('`', '\'')}`";
}
