using ImageSync.Errors;
using System.Text;
using ImageSync.Config;
using ImageSync.Upstream;

namespace ImageSync.AutoUpdate;

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
    string SamplesDirectory,
    VendoredPlan? Vendored = null,
    string? RepositoryRoot = null)
{
    public bool HasChanges => !ConfigBefore.AsSpan().SequenceEqual(ConfigAfter) || Rewrites.Count > 0 || VendoredChanges.Rewrites.Count > 0;

    /// <summary>Vendored copies and the kustomizations that map them (none without upstream_samples.files).</summary>
    public VendoredPlan VendoredChanges => Vendored ?? VendoredPlan.Empty;

    public IEnumerable<ImageUpdate> TagChanges => Updates.Where(u => u.ChangesTag);

    /// <summary>The moves the configuration follows (--follow-moves, to a trusted upstream): its upstream is rewritten.</summary>
    public IReadOnlyList<ImageUpdate> FollowedMoves { get; init; } = [];

    public static AutoUpdatePlan Create(SyncConfig config, string configPath, byte[] configBytes, IReadOnlyList<UpstreamFile> upstreamFiles, string samplesDirectory, bool followMoves) =>
        Create(config, configPath, configBytes, new FetchedSamples(upstreamFiles, [], new Dictionary<string, UpstreamFile>()), samplesDirectory, followMoves, null);

    /// <param name="repositoryRoot">The working tree vendored files and kustomizations must lie in to be written.</param>
    public static AutoUpdatePlan Create(SyncConfig config, string configPath, byte[] configBytes, FetchedSamples fetched, string samplesDirectory, bool followMoves, string? repositoryRoot)
    {
        var upstreamFiles = fetched.Files;
        var extraction = ImageExtractor.Extract(upstreamFiles);
        var samples = SampleRewriter.Load(samplesDirectory);
        var updates = TagMatcher.Match(config, extraction.Images, image => SampleRewriter.TagsUsed(samples, image.Target));
        var notes = extraction.Notes.ToList();
        foreach (var update in updates.Where(u => u.Moved && followMoves && !config.IsTrustedUpstream(u.UpstreamNow!)))
        {
            notes.Add($"{update.Image.Name}: upstream moved to {update.UpstreamNow!.Name}, which trusted_upstreams does not list; not followed");
        }
        // A configuration of kustomizations alone has no images array for the editor to walk.
        var after = updates.Count == 0 ? configBytes : ConfigEditor.Apply(configBytes, updates, u => followMoves && config.IsTrustedUpstream(u.UpstreamNow!));
        var rewrites = SampleRewriter.Plan(samples, updates.Where(u => u.ChangesTag).Select(u => (u.Image.Target, u.OldTag, u.NewTag!)));
        var vendored = config.Samples.VendoredFiles.Count == 0 ? VendoredPlan.Empty
            : VendoredPlan.Create(config, Path.GetDirectoryName(Path.GetFullPath(configPath))!, fetched.Vendored, config.Samples);
        notes.AddRange(vendored.Notes);
        return new AutoUpdatePlan(configPath, updates, notes, configBytes, after, rewrites, samplesDirectory, vendored, repositoryRoot)
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
        var root = RepositoryRoot ?? Path.GetDirectoryName(Path.GetFullPath(ConfigPath))!;
        foreach (var rewrite in VendoredChanges.Rewrites)
        {
            WorkTree.EnsureWritable(root, rewrite.Path);
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
        foreach (var rewrite in VendoredChanges.Rewrites)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(rewrite.Path)!);
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
        foreach (var rewrite in Rewrites.Concat(VendoredChanges.Rewrites))
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
