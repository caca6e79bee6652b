using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ImageSync.References;

namespace ImageSync.Config;

/// <summary>
/// The name a mutable tag's old digest is kept under before a run moves it (issue 20 §3), e.g. <c>{tag}-{date}</c>.
/// Placeholders: <c>{tag}</c> the tag being moved; <c>{date}</c> the run's start, UTC, as <c>yyyyMMdd</c>;
/// <c>{time}</c> the same instant's <c>HHmmss</c>; <c>{digest12}</c> the first 12 hex digits of the digest being
/// replaced (what <c>docker images</c> shows); <c>{digest}</c> all 64 of them. Everything else is literal text and must
/// be what a tag may hold (OCI: <c>[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}</c>). A template must name <c>{tag}</c> (else two
/// tags of an image would share backups) and something that changes with the move (an existing backup tag is never
/// overwritten, so a fixed name would keep only the first move), and may not start like cosign's digest-named tags.
/// </summary>
public sealed partial class BackupTemplate
{
    public static IReadOnlyList<string> Placeholders { get; } = ["tag", "date", "time", "digest12", "digest"];

    private static readonly string[] Changing = ["date", "time", "digest12", "digest"];

    // Literal text or a placeholder, in order.
    private readonly IReadOnlyList<(string Text, bool IsPlaceholder)> _parts;

    private BackupTemplate(string text, IReadOnlyList<(string, bool)> parts)
    {
        Text = text;
        _parts = parts;
    }

    /// <summary>As written in the configuration.</summary>
    public string Text { get; }

    public override string ToString() => Text;

    [GeneratedRegex("^[A-Za-z0-9_.-]$")]
    private static partial Regex TagCharacter();

    /// <summary>Parses a template; on refusal, <paramref name="offset"/> is where in the text the problem is.</summary>
    public static bool TryParse(string text, out BackupTemplate? template, out string error, out int offset)
    {
        template = null;
        offset = 0;
        var parts = new List<(string, bool)>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                var end = text.IndexOf('}', i + 1);
                if (end < 0)
                {
                    (error, offset) = ("a \"{\" without its \"}\"", i);
                    return false;
                }
                var name = text[(i + 1)..end];
                if (!Placeholders.Contains(name))
                {
                    (error, offset) = ($"unknown placeholder \"{{{Output.Untrusted.Line(name, 40)}}}\"{Common.Suggestions.DidYouMean(name, Placeholders)}; known: {string.Join(", ", Placeholders.Select(p => $"{{{p}}}"))}", i);
                    return false;
                }
                if (literal.Length > 0)
                {
                    parts.Add((literal.ToString(), false));
                    literal.Clear();
                }
                parts.Add((name, true));
                i = end;
            }
            else if (!TagCharacter().IsMatch(text[i].ToString()))
            {
                (error, offset) = ($"{Character(text[i])} cannot be in a tag (letters, digits, _ . - and placeholders such as {{tag}})", i);
                return false;
            }
            else
            {
                literal.Append(text[i]);
            }
        }
        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), false));
        }
        if (parts.Count > 0 && !parts[0].Item2 && parts[0].Item1[0] is '.' or '-')
        {
            error = "a tag cannot start with \".\" or \"-\"";
            return false;
        }
        if (!parts.Contains(("tag", true)))
        {
            error = "must contain {tag}: without it every tag of the image would be kept under the same names";
            return false;
        }
        if (!parts.Any(p => p.Item2 && Changing.Contains(p.Item1)))
        {
            error = "must contain {date}, {time}, {digest12} or {digest}: an existing backup tag is never overwritten, so a name that does not change would keep only the first move";
            return false;
        }
        template = new BackupTemplate(text, parts);
        error = "";
        return true;
    }

    private static string Character(char c) =>
        c == ' ' ? "a space" : char.IsControl(c) || c > '~' ? $"U+{(int)c:X4}" : $"\"{c}\"";

    /// <summary>The backup tag for moving <paramref name="tag"/> away from <paramref name="old"/> in a run started at <paramref name="started"/>.</summary>
    public string Render(string tag, Digest old, DateTimeOffset started)
    {
        var utc = started.UtcDateTime;
        return string.Concat(_parts.Select(p => !p.IsPlaceholder ? p.Text : p.Text switch
        {
            "tag" => tag,
            "date" => utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            "time" => utc.ToString("HHmmss", CultureInfo.InvariantCulture),
            "digest12" => old.Hex[..Math.Min(12, old.Hex.Length)],
            _ => old.Hex,
        }));
    }

    /// <summary>
    /// Why backups of <paramref name="tag"/> could not be written as named: too long for a tag, taken for a cosign or
    /// referrers tag, or able to be named as <paramref name="others"/> (the image's other tags, which the run writes);
    /// null when they can. Checked with the longest values the placeholders take.
    /// </summary>
    public string? Refusal(string tag, IEnumerable<string> others)
    {
        var longest = Render(tag, Digest.Sha256([]), DateTimeOffset.UnixEpoch);
        if (!Reference.IsValidTag(longest))
        {
            return $"for tag \"{tag}\" it gives \"{Output.Untrusted.Line(longest, 140)}\" ({longest.Length} characters), which is not a tag (at most 128)";
        }
        if (ArtifactTags.IsArtifactTag(longest))
        {
            return $"for tag \"{tag}\" it gives \"{longest}\", which would be taken for a cosign or referrers tag (sha256-...)";
        }
        var pattern = new Regex("^" + string.Concat(_parts.Select(p => !p.IsPlaceholder ? Regex.Escape(p.Text) : p.Text switch
        {
            "tag" => Regex.Escape(tag),
            "date" => "[0-9]{8}",
            "time" => "[0-9]{6}",
            "digest12" => "[0-9a-f]{12}",
            _ => "[0-9a-f]{64,128}",
        })) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return others.FirstOrDefault(pattern.IsMatch) is { } taken
            ? $"a backup of tag \"{tag}\" could be named \"{taken}\", which is a tag of the image itself"
            : null;
    }
}
