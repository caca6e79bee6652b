using System.Text;
using System.Text.RegularExpressions;
using ImageSync.References;

namespace ImageSync.Samples;

/// <summary>One file the rewrite changes, before and after, and the 1-based lines that differ.</summary>
public sealed record FileRewrite(string Path, byte[] Before, byte[] After, IReadOnlyList<int> Lines);

/// <summary>
/// Rewrites references to target images in the repository's samples/ folder: <c>target:old</c> becomes
/// <c>target:new</c>, matched as a whole reference (<c>:1.0</c> never matches inside <c>:1.0.1</c>, and a longer
/// repository name that merely starts the same is left alone). Only the tag text changes; comments, quotes,
/// indentation, line endings and a byte-order mark stay as they were.
/// </summary>
public static class SampleRewriter
{
    private const string NameCharacters = "A-Za-z0-9._/-";

    public static IReadOnlyList<FileRewrite> Plan(string samplesDirectory, IEnumerable<(Reference Target, string? OldTag, string NewTag)> changes)
    {
        var patterns = changes.Select(c => (Pattern: Pattern(c.Target, c.OldTag), c.NewTag)).ToList();
        var rewrites = new List<FileRewrite>();
        if (patterns.Count == 0 || !Directory.Exists(samplesDirectory))
        {
            return rewrites;
        }
        foreach (var path in Directory.EnumerateFiles(samplesDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var before = File.ReadAllBytes(path);
            if (before.Contains((byte)0))
            {
                continue;
            }
            var bom = before.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            var text = Encoding.UTF8.GetString(before, bom, before.Length - bom);
            var rewritten = text;
            foreach (var (pattern, newTag) in patterns)
            {
                rewritten = pattern.Replace(rewritten, m => m.Groups["name"].Value + ":" + newTag);
            }
            if (rewritten == text)
            {
                continue;
            }
            var after = before[..bom].Concat(Encoding.UTF8.GetBytes(rewritten)).ToArray();
            rewrites.Add(new FileRewrite(path, before, after, ChangedLines(text, rewritten)));
        }
        return rewrites;
    }

    /// <summary>The tags of <paramref name="target"/> that files under the folder reference.</summary>
    public static IReadOnlySet<string> TagsUsed(string samplesDirectory, Reference target)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(samplesDirectory))
        {
            return used;
        }
        var pattern = new Regex($"(?<![{NameCharacters}])(?:{Names(target)}):(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})");
        foreach (var path in Directory.EnumerateFiles(samplesDirectory, "*", SearchOption.AllDirectories))
        {
            foreach (Match match in pattern.Matches(File.ReadAllText(path)))
            {
                used.Add(match.Groups["tag"].Value);
            }
        }
        return used;
    }

    private static Regex Pattern(Reference target, string? oldTag)
    {
        var name = $"(?<![{NameCharacters}])(?<name>{Names(target)})";
        // Untagged (old tag unknown): the bare name, not followed by a tag, digest or longer name.
        return oldTag is null
            ? new Regex($"{name}(?![:@{NameCharacters}])")
            : new Regex($"{name}:{Regex.Escape(oldTag)}(?![A-Za-z0-9_.@-])");
    }

    /// <summary>The ways a reference to the repository may be written: Docker Hub names have short forms.</summary>
    private static string Names(Reference target)
    {
        var forms = new List<string> { target.Name };
        if (target.Registry == Reference.DockerHub)
        {
            forms.Add(target.Repository);
            if (target.Repository.StartsWith("library/", StringComparison.Ordinal))
            {
                forms.Add("docker.io/" + target.Repository["library/".Length..]);
                forms.Add(target.Repository["library/".Length..]);
            }
        }
        return string.Join("|", forms.Distinct().OrderByDescending(f => f.Length).Select(Regex.Escape));
    }

    private static List<int> ChangedLines(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        return [.. Enumerable.Range(0, Math.Min(a.Length, b.Length)).Where(i => a[i] != b[i]).Select(i => i + 1)];
    }
}
