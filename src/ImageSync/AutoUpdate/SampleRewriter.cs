using System.Text;
using System.Text.RegularExpressions;
using ImageSync.References;

namespace ImageSync.AutoUpdate;

/// <summary>
/// Rewrites references to target images in the repository's samples/ folder: <c>target:old</c> becomes
/// <c>target:new</c>, matched as a whole reference (<c>:1.0</c> never matches inside <c>:1.0.1</c>, and a longer
/// repository name that merely starts the same is left alone). Only the tag text changes; comments, quotes,
/// indentation, line endings and a byte-order mark stay as they were.
/// </summary>
public static class SampleRewriter
{
    private const string NameCharacters = "A-Za-z0-9._/-";

    /// <summary>Every regular text file under the folder (files with NUL bytes are not text, links are not followed), in path order.</summary>
    public static IReadOnlyList<LocalSample> Load(string samplesDirectory)
    {
        if (!Directory.Exists(samplesDirectory))
        {
            return [];
        }
        var files = new List<LocalSample>();
        foreach (var path in WorkTree.RegularFiles(samplesDirectory))
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Contains((byte)0))
            {
                continue;
            }
            var bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            files.Add(new LocalSample(path, bytes, bom, Encoding.UTF8.GetString(bytes, bom, bytes.Length - bom)));
        }
        return files;
    }

    public static IReadOnlyList<FileRewrite> Plan(IReadOnlyList<LocalSample> files, IEnumerable<(Reference Target, string? OldTag, string NewTag)> changes)
    {
        var patterns = changes.Select(c => (Pattern: Pattern(c.Target, c.OldTag), c.Target, c.NewTag)).ToList();
        var rewrites = new List<FileRewrite>();
        foreach (var file in files)
        {
            var rewritten = file.Text;
            var targets = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (pattern, target, newTag) in patterns)
            {
                var next = pattern.Replace(rewritten, m => m.Groups["name"].Value + ":" + newTag);
                if (next != rewritten)
                {
                    targets.Add(target.Name);
                    rewritten = next;
                }
            }
            if (targets.Count == 0)
            {
                continue;
            }
            var after = file.Bytes[..file.BomLength].Concat(Encoding.UTF8.GetBytes(rewritten)).ToArray();
            rewrites.Add(new FileRewrite(file.Path, file.Bytes, after, ChangedLines(file.Text, rewritten), targets));
        }
        return rewrites;
    }

    /// <summary>The tags of <paramref name="target"/> that the files reference.</summary>
    public static IReadOnlySet<string> TagsUsed(IReadOnlyList<LocalSample> files, Reference target)
    {
        var pattern = new Regex($"(?<![{NameCharacters}])(?:{Names(target)}):(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})");
        return files.SelectMany(f => pattern.Matches(f.Text)).Select(m => m.Groups["tag"].Value).ToHashSet(StringComparer.Ordinal);
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
