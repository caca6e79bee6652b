using System.Text;

namespace ImageSync.Output;

/// <summary>
/// Text that came from outside (a registry's error message, an upstream file's path, a realm) is made inert before it
/// is put into our own messages: one line, no control characters, bounded; in Markdown, a code span that cannot
/// close early, so it can neither inject links nor mention people.
/// </summary>
public static class Untrusted
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

    /// <summary>A Markdown code span: backticks become quotes, so the span cannot end inside the text.</summary>
    public static string Code(string? text) => $"`{Line(text).Replace('`', '\'')}`";
}
