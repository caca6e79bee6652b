using ImageSync.Config;
using ImageSync.Kustomize;
using ImageSync.References;
using ImageSync.Upstream;

namespace ImageSync.AutoUpdate;

/// <summary>
/// What AutoUpdate changes in vendored copies of upstream files (upstream_samples.files): each file becomes
/// upstream's bytes at the ref, and where upstream moved an image the kustomizations that map it get their
/// <c>images[].name</c> rewritten in place, so the mapping still applies. A move to an upstream that
/// trusted_upstreams does not list is reported, and neither the kustomization nor the vendored copies that would
/// bring that name in are changed: nothing would then pull from it unmapped.
/// </summary>
public sealed record VendoredPlan(IReadOnlyList<VendoredUpdate> Updates, IReadOnlyList<KustomizationRename> Renames, IReadOnlyList<FileRewrite> Rewrites, IReadOnlyList<string> Notes)
{
    public static VendoredPlan Empty { get; } = new([], [], [], []);

    public static VendoredPlan Create(SyncConfig config, string configFolder, IReadOnlyDictionary<string, UpstreamFile> upstream, UpstreamSampleSource samples)
    {
        var notes = new List<string>();
        var updates = new List<VendoredUpdate>();
        foreach (var file in samples.VendoredFiles)
        {
            var full = Path.GetFullPath(Path.Combine(configFolder, file.Path));
            if (!upstream.TryGetValue(file.UpstreamPath, out var copy))
            {
                notes.Add($"{samples.Repository}@{samples.Ref} has no {file.UpstreamPath} (vendored as {file.Path}); left as it is");
                continue;
            }
            var before = File.Exists(full) ? File.ReadAllBytes(full) : [];
            if (!before.AsSpan().SequenceEqual(copy.Bytes))
            {
                var pins = ImageExtractor.Extract([copy]).Images.Select(i => i.Raw).Distinct(StringComparer.Ordinal).ToList();
                updates.Add(new VendoredUpdate(file, full, before, copy.Bytes, pins, copy.WebUrl));
            }
        }
        var renames = new List<KustomizationRename>();
        var edited = new Dictionary<string, (byte[] Before, byte[] After)>(StringComparer.Ordinal);
        var (roots, problems) = config.Kustomize is { } settings ? KustomizationTree.Load(configFolder, ".", settings, samples) : ([], []);
        notes.AddRange(problems.Select(d => $"{d.Position}: {d.Message}; its kustomization is not followed"));
        var pending = new Stack<KustomizationNode>(roots);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            foreach (var nested in node.Resources.Select(r => r.Nested).OfType<KustomizationNode>())
            {
                pending.Push(nested);
            }
            // A kustomization's images: apply to its own files and to what its nested kustomizations yield.
            var files = Files(node).Select(f => (Full: Path.GetFullPath(Path.Combine(configFolder, f.Display)), f.Content)).ToList();
            var before = References(files.Select(f => (f.Full, f.Content)));
            var after = References(files.Select(f => (f.Full, updates.FirstOrDefault(u => u.FullPath == f.Full) is { } u ? System.Text.Encoding.UTF8.GetString(u.After) : f.Content)));
            var entries = node.Kustomization.Images.Where(e => e.Name.Length > 0 && ImageNameMatcher.IsSupported(e.Name)).ToList();
            foreach (var entry in entries)
            {
                var matched = before.Where(o => ImageNameMatcher.IsImageMatched(o.Raw, entry.Name)).ToList();
                if (matched.Count == 0 || after.Any(o => ImageNameMatcher.IsImageMatched(o.Raw, entry.Name)))
                {
                    continue;
                }
                // Moved: the same image (last path component) under another name, which no entry maps yet.
                var last = matched.Select(o => LastComponent(o.Reference.Repository)).ToHashSet(StringComparer.Ordinal);
                var moved = after.Where(o => last.Contains(LastComponent(o.Reference.Repository)) && !entries.Any(e => ImageNameMatcher.IsImageMatched(o.Raw, e.Name)))
                    .Select(o => (Name: NameAsWritten(o.Raw), o.Reference)).DistinctBy(o => o.Name).ToList();
                if (moved.Count != 1)
                {
                    notes.Add($"{entry.NamePosition}: {entry.Name} no longer matches an image of the updated files, and they name {(moved.Count == 0 ? "no image like it" : string.Join(", ", moved.Select(m => m.Name)))}; left as it is");
                    continue;
                }
                var (newName, reference) = moved[0];
                if (!config.IsTrustedUpstream(reference))
                {
                    var held = updates.Where(u => after.Any(o => o.File == u.FullPath && NameAsWritten(o.Raw) == newName)).ToList();
                    updates.RemoveAll(held.Contains);
                    notes.Add($"{entry.NamePosition}: upstream moved {entry.Name} to {newName}, which trusted_upstreams does not list; not followed, and {string.Join(", ", held.Select(h => h.File.Path))} left as {(held.Count == 1 ? "it is" : "they are")}");
                    continue;
                }
                var path = Path.GetFullPath(Path.Combine(configFolder, entry.NamePosition.File));
                var current = edited.TryGetValue(path, out var seen) ? seen : (Before: File.ReadAllBytes(path), After: File.ReadAllBytes(path));
                edited[path] = (current.Before, KustomizationEditor.Rename(current.After, entry.NamePosition, entry.Name, newName));
                renames.Add(new KustomizationRename(path, entry.NamePosition.File, entry.NamePosition.Line, entry.Name, newName));
            }
        }
        var rewrites = updates.Select(u => new FileRewrite(u.FullPath, u.Before, u.After, [], new HashSet<string>()))
            .Concat(edited.Select(e => new FileRewrite(e.Key, e.Value.Before, e.Value.After, [], new HashSet<string>()))).ToList();
        return new VendoredPlan(updates, renames, rewrites, notes);
    }

    private static List<ImageOccurrence> References(IEnumerable<(string Path, string Content)> files) =>
        [.. ImageExtractor.Extract(files.Select(f => new UpstreamFile(f.Path, f.Content, ""))).Images];

    /// <summary>The local files a kustomization reads, its nested kustomizations' included (display paths, relative to the configuration).</summary>
    private static IEnumerable<(string Display, string Content)> Files(KustomizationNode node) =>
        node.Resources.SelectMany(r => r.Nested is { } nested ? Files(nested)
            : r is { DisplayPath: { } display, Content: { } content } ? [(display, content)] : Array.Empty<(string, string)>());

    /// <summary>A reference as written, without its tag or digest.</summary>
    private static string NameAsWritten(string raw)
    {
        var at = raw.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? raw : raw[..at];
        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    private static string LastComponent(string repository) => repository[(repository.LastIndexOf('/') + 1)..];
}
