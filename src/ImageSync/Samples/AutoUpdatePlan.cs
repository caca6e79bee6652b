using ImageSync.Errors;
using System.Text;
using ImageSync.Config;
using ImageSync.Upstream;

namespace ImageSync.Samples;

/// <summary>
/// Everything AutoUpdate would change, computed before anything is written: the matched updates, the config's new
/// bytes and each sample file's rewrite.
/// </summary>
public sealed record AutoUpdatePlan(
    string ConfigPath,
    IReadOnlyList<ImageUpdate> Updates,
    IReadOnlyList<string> Notes,
    byte[] ConfigBefore,
    byte[] ConfigAfter,
    IReadOnlyList<FileRewrite> Rewrites,
    string SamplesDirectory)
{
    public bool HasChanges => !ConfigBefore.AsSpan().SequenceEqual(ConfigAfter) || Rewrites.Count > 0;

    public IEnumerable<ImageUpdate> TagChanges => Updates.Where(u => u.ChangesTag);

    /// <summary>The moves the configuration follows (--follow-moves, to a trusted upstream): its upstream is rewritten.</summary>
    public IReadOnlyList<ImageUpdate> FollowedMoves { get; init; } = [];

    public static AutoUpdatePlan Create(SyncConfig config, string configPath, byte[] configBytes, IReadOnlyList<SampleFile> upstreamFiles, string samplesDirectory, bool followMoves)
    {
        var extraction = ImageExtractor.Extract(upstreamFiles);
        var samples = SampleRewriter.Load(samplesDirectory);
        var updates = TagMatcher.Match(config, extraction.Images, image => SampleRewriter.TagsUsed(samples, image.Target));
        var notes = extraction.Notes.ToList();
        foreach (var update in updates.Where(u => u.Moved && followMoves && !config.IsTrustedUpstream(u.UpstreamNow!)))
        {
            notes.Add($"{update.Image.Name}: upstream moved to {update.UpstreamNow!.Name}, which trusted_upstreams does not list; not followed");
        }
        var after = ConfigEditor.Apply(configBytes, updates, u => followMoves && config.IsTrustedUpstream(u.UpstreamNow!));
        var rewrites = SampleRewriter.Plan(samples, updates.Where(u => u.ChangesTag).Select(u => (u.Image.Target, u.OldTag, u.NewTag!)));
        return new AutoUpdatePlan(configPath, updates, notes, configBytes, after, rewrites, samplesDirectory)
        {
            FollowedMoves = [.. updates.Where(u => u.Moved && followMoves && config.IsTrustedUpstream(u.UpstreamNow!))],
        };
    }

    /// <summary>
    /// Writes the config and the rewritten samples; returns the paths written. Every path is checked first (see
    /// <see cref="WorkTree"/>), so a refused one leaves everything as it was.
    /// </summary>
    public IReadOnlyList<string> Apply()
    {
        var configChanges = !ConfigBefore.AsSpan().SequenceEqual(ConfigAfter);
        if (configChanges && new FileInfo(ConfigPath).LinkTarget is not null)
        {
            throw new ImageSyncException($"{ConfigPath} is a symbolic link; AutoUpdate writes only regular files");
        }
        foreach (var rewrite in Rewrites)
        {
            WorkTree.EnsureWritable(SamplesDirectory, rewrite.Path);
        }
        var written = new List<string>();
        if (configChanges)
        {
            File.WriteAllBytes(ConfigPath, ConfigAfter);
            written.Add(ConfigPath);
        }
        foreach (var rewrite in Rewrites)
        {
            File.WriteAllBytes(rewrite.Path, rewrite.After);
            written.Add(rewrite.Path);
        }
        return written;
    }

    /// <summary>A line diff of every change, for --dry-run and for people reading a log.</summary>
    public string Diff(string root)
    {
        var text = new StringBuilder();
        AppendDiff(text, Path.GetRelativePath(root, ConfigPath), ConfigBefore, ConfigAfter);
        foreach (var rewrite in Rewrites)
        {
            AppendDiff(text, Path.GetRelativePath(root, rewrite.Path), rewrite.Before, rewrite.After);
        }
        return text.ToString();
    }

    private static void AppendDiff(StringBuilder text, string path, byte[] before, byte[] after)
    {
        var a = Encoding.UTF8.GetString(before).Split('\n');
        var b = Encoding.UTF8.GetString(after).Split('\n');
        if (a.SequenceEqual(b))
        {
            return;
        }
        text.AppendLine($"--- a/{path}").AppendLine($"+++ b/{path}");
        // Edits replace values within lines, or add one line to a list; walk both with that in mind.
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (i < a.Length && j < b.Length && a[i] == b[j])
            {
                i++;
                j++;
                continue;
            }
            if (b.Length - j > a.Length - i)
            {
                text.AppendLine($"@@ {path}:{j + 1} @@").AppendLine("+" + b[j].TrimEnd('\r'));
                j++;
                continue;
            }
            text.AppendLine($"@@ {path}:{i + 1} @@").AppendLine("-" + a[i].TrimEnd('\r')).AppendLine("+" + b[j].TrimEnd('\r'));
            i++;
            j++;
        }
    }
}
