using ImageSync.Config;
using ImageSync.Kustomize;
using ImageSync.References;
using ImageSync.Upstream;

namespace ImageSync.AutoUpdate;

/// <summary>
/// Starts a checkout on vendored samples (AdoptSamples): finds its kustomizations, takes the files their resources
/// name, and matches each to the upstream path whose bytes are the same, from the one archive, as
/// tools/update_deps.sh's curl lines would have named them. The result is written into the configuration for a
/// maintainer to review; nothing is guessed that the files do not show.
/// </summary>
public static class VendoredAdoption
{
    /// <summary>Kustomizations deeper than this, or checkouts with more files, are not searched.</summary>
    public const int MaxDepth = 12;

    public const int MaxFiles = 200_000;

    public static async Task<AdoptionResult> FindAsync(string configFolder, GitHubArchive archive, UpstreamSampleSource samples, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var kustomizations = new List<Kustomization>();
        foreach (var file in KustomizationFiles(configFolder))
        {
            var display = Path.GetRelativePath(configFolder, file).Replace('\\', '/');
            try
            {
                kustomizations.Add(KustomizationReader.Read(display, Path.GetDirectoryName(file)!, await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)));
            }
            catch (KustomizeException e)
            {
                notes.Add($"{e.Message}; passed over");
            }
        }
        // Local resource files by content, so the archive is read once and only matching paths are kept.
        var local = new Dictionary<string, List<(string Path, Kustomization Owner)>>(StringComparer.Ordinal);
        foreach (var kustomization in kustomizations)
        {
            foreach (var resource in kustomization.Resources.Where(r => !r.IsUrl))
            {
                var full = Path.GetFullPath(Path.Combine(kustomization.Folder, resource.Value));
                if (new FileInfo(full) is { Exists: true, LinkTarget: null } info && info.Length <= limits.MaxFileBytes && WorkTree.IsInside(configFolder, full))
                {
                    var hash = Digest.Sha256(await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false)).ToString();
                    (local.TryGetValue(hash, out var list) ? list : local[hash] = []).Add((Path.GetRelativePath(configFolder, full).Replace('\\', '/'), kustomization));
                }
            }
        }
        var upstream = await archive.ReadAsync(samples.Repository, samples.Ref, () => new Dictionary<string, List<string>>(StringComparer.Ordinal), async (found, file, ct) =>
        {
            if (file.Size > limits.MaxFileBytes || file.Path.Any(char.IsControl))
            {
                return;
            }
            var hash = Digest.Sha256(await file.ReadAllAsync(ct).ConfigureAwait(false)).ToString();
            if (local.ContainsKey(hash))
            {
                (found.TryGetValue(hash, out var list) ? list : found[hash] = []).Add(file.Path);
            }
        }, cancellationToken).ConfigureAwait(false);

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var owners = new HashSet<Kustomization>();
        foreach (var (hash, copies) in local)
        {
            if (!upstream.TryGetValue(hash, out var paths))
            {
                continue;
            }
            foreach (var (path, owner) in copies)
            {
                // Several upstream files with these bytes: the one with the same file name, under the configured paths, first by path.
                var chosen = paths.OrderBy(p => Path.GetFileName(p) == Path.GetFileName(path) ? 0 : 1)
                    .ThenBy(p => samples.Paths.Any(s => p.StartsWith(s, StringComparison.Ordinal)) ? 0 : 1).ThenBy(p => p, StringComparer.Ordinal).First();
                if (paths.Count > 1)
                {
                    notes.Add($"{path}: upstream holds the same bytes at {string.Join(", ", paths.Order(StringComparer.Ordinal))}; took {chosen}");
                }
                files[path] = chosen;
                owners.Add(owner);
            }
        }
        foreach (var kustomization in kustomizations.Where(k => !owners.Contains(k)))
        {
            notes.Add($"{kustomization.File}: none of its resources is a copy of a file at {samples.Repository}@{samples.Ref}; left out");
        }
        var used = kustomizations.Where(owners.Contains).ToList();
        return new AdoptionResult(KustomizePaths(configFolder, used), Targets(used, notes), files, notes);
    }

    /// <summary>Each kustomization's folder, or their common parent when several share one (a folder of such folders).</summary>
    private static List<string> KustomizePaths(string configFolder, List<Kustomization> used) =>
        [.. used.Select(k => Path.GetRelativePath(configFolder, k.Folder).Replace('\\', '/'))
            .GroupBy(f => f.Contains('/') ? f[..f.LastIndexOf('/')] : ".")
            .SelectMany(g => g.Count() > 1 ? [g.Key == "." ? "." : g.Key + "/"] : g.ToArray())
            .Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The registry/namespace prefix most newNames share; the others are named in a note (not ours, unless a maintainer says so).</summary>
    private static List<string> Targets(List<Kustomization> used, List<string> notes)
    {
        var names = used.SelectMany(k => k.Images.Where(i => i.NewName.Length > 0).Select(i => (k.File, i.NewName)))
            .Select(n => (n.File, n.NewName, Prefix: Reference.TryParse(n.NewName, out var r, out _) ? Prefix(r!) : null)).Where(n => n.Prefix is not null).ToList();
        if (names.Count == 0)
        {
            notes.Add("no images: entry names a newName; kustomize.targets is left empty for you to fill");
            return [];
        }
        var ours = names.GroupBy(n => n.Prefix!).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        foreach (var other in names.Where(n => n.Prefix != ours).DistinctBy(n => n.NewName))
        {
            notes.Add($"{other.NewName} ({other.File}) is not under {ours}/, so it is listed as maintained elsewhere and not mirrored; add its prefix to kustomize.targets if it is yours");
        }
        return [ours + "/"];
    }

    private static string Prefix(Reference reference) =>
        reference.Repository.Contains('/') ? $"{reference.Registry}/{reference.Repository[..reference.Repository.IndexOf('/')]}" : reference.Registry;

    /// <summary>Every kustomization file under the folder: hidden folders (.git) and links passed over, bounded in depth and count.</summary>
    private static List<string> KustomizationFiles(string root)
    {
        var found = new List<string>();
        var pending = new Stack<(DirectoryInfo Folder, int Depth)>([(new DirectoryInfo(root), 0)]);
        var seen = 0;
        while (pending.Count > 0)
        {
            var (folder, depth) = pending.Pop();
            foreach (var entry in folder.EnumerateFileSystemInfos())
            {
                if (++seen > MaxFiles)
                {
                    throw new Errors.ImageSyncException($"{root} holds more than {MaxFiles} files; give --config in a smaller folder");
                }
                if (entry.LinkTarget is not null || entry.Name.StartsWith('.'))
                {
                    continue;
                }
                if (entry is DirectoryInfo sub && depth < MaxDepth)
                {
                    pending.Push((sub, depth + 1));
                }
                else if (entry is FileInfo && KustomizationReader.FileNames.Contains(entry.Name, StringComparer.Ordinal))
                {
                    found.Add(entry.FullName);
                }
            }
        }
        return [.. found.Order(StringComparer.Ordinal)];
    }
}
