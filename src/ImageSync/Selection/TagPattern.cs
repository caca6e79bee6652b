using System.Text.RegularExpressions;
using ImageSync.Errors;

namespace ImageSync.Selection;

/// <summary>
/// One <c>include</c> or <c>exclude</c> regular expression of <c>tag_rules</c>, matched against the whole tag. It
/// comes from a configuration a pull request can change, so it runs on .NET's non-backtracking engine (time linear in
/// the tag's length, whatever the pattern) and with a match timeout besides; a pattern that engine cannot run
/// (backreferences, lookarounds) is refused when the configuration is read.
/// </summary>
public sealed record TagPattern
{
    /// <summary>A tag is at most 128 characters: a match takes microseconds, so this is only ever a backstop.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private readonly Regex _regex;

    private TagPattern(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    /// <summary>The pattern as written in the configuration.</summary>
    public string Text { get; }

    public static bool TryCreate(string text, out TagPattern? pattern, out string error)
    {
        pattern = null;
        error = "";
        if (text.Length == 0)
        {
            error = "an empty pattern matches no tag";
            return false;
        }
        try
        {
            // Read alone first, so that an error's offset is one in the text the user wrote.
            _ = new Regex(text, Options, MatchTimeout);
            // Anchored as a whole: "1\.2.*" means tags starting 1.2, never "xx1.2" (a user's ^ and $ are harmless).
            var regex = new Regex($@"\A(?:{text})\z", Options, MatchTimeout);
            pattern = new TagPattern(text, regex);
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"\"{Output.Untrusted.Line(text, 200)}\" is not a regular expression: {Output.Untrusted.Line(e.Message, 300)}";
        }
        catch (NotSupportedException e)
        {
            error = $"\"{Output.Untrusted.Line(text, 200)}\": tag patterns run on the linear-time engine, which refuses it ({Output.Untrusted.Line(e.Message, 300)}); use \"exclude\" for what must not match";
        }
        return false;
    }

    /// <exception cref="ImageSyncException">The match ran past <see cref="MatchTimeout"/>.</exception>
    public bool IsMatch(string tag)
    {
        try
        {
            return _regex.IsMatch(tag);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new ImageSyncException($"tag_rules pattern \"{Output.Untrusted.Line(Text, 200)}\" took more than {MatchTimeout.TotalMilliseconds} ms on tag {tag}; simplify it");
        }
    }

    public override string ToString() => Text;
}
