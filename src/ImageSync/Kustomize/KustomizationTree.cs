using ImageSync.Config;

namespace ImageSync.Kustomize;

/// <summary>
/// Reads the configured kustomizations from the repository as kustomize would: each <c>kustomize.paths</c> entry is
/// a kustomization folder, or a folder whose immediate folders are; a resource is a file (inside its
/// kustomization's folder, kustomize's load restriction), a folder holding another kustomization, or a raw GitHub
/// URL of the upstream repository (fetched later, in one request per ref). Everything stays inside the
/// configuration's folder (links resolved) and within <see cref="KustomizeLimits"/>. A problem in one kustomization is
/// a diagnostic; the others are still read.
/// </summary>
public sealed class KustomizationTree(string root, string displayRoot, UpstreamSampleSource upstream)
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private long _bytes;

    public static (IReadOnlyList<KustomizationNode> Roots, IReadOnlyList<Diagnostic> Diagnostics) Load(string root, string displayRoot, KustomizeSettings settings, UpstreamSampleSource upstream)
    {
        var tree = new KustomizationTree(root, displayRoot, upstream);
        var roots = new List<KustomizationNode>();
        var diagnostics = new List<Diagnostic>();
        for (var i = 0; i < settings.Paths.Count; i++)
        {
            var at = settings.PathPositions[i];
            var folder = Path.GetFullPath(Path.Combine(root, settings.Paths[i]));
            try
            {
                if (!Directory.Exists(folder) || !AutoUpdate.WorkTree.IsInside(root, folder))
                {
                    throw new KustomizeException(at, $"kustomize.paths[{i}]: no folder {settings.Paths[i]} inside {displayRoot}");
                }
                var folders = KustomizationReader.FindFile(folder, at) is not null ? [folder]
                    : Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal).Where(f => KustomizationReader.FindFile(f, at) is not null).ToList();
                if (folders.Count == 0)
                {
                    throw new KustomizeException(at, $"kustomize.paths[{i}]: {settings.Paths[i]} holds no {KustomizationReader.FileNames[0]}, nor do its folders");
                }
                foreach (var f in folders)
                {
                    try
                    {
                        roots.Add(tree.Read(f, at, []));
                    }
                    catch (KustomizeException e)
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, e.Position, "", e.Reason));
                    }
                }
            }
            catch (KustomizeException e)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, e.Position, "", e.Reason));
            }
        }
        return (roots, diagnostics);
    }

    private string Display(string full) =>
        Path.Combine(displayRoot, Path.GetRelativePath(root, full)).Replace('\\', '/') is var d && d.StartsWith("./", StringComparison.Ordinal) ? d[2..] : d;

    private KustomizationNode Read(string folder, SourcePosition referencedAt, List<string> stack)
    {
        if (stack.Contains(folder))
        {
            throw new KustomizeException(referencedAt, $"cycle: {Display(folder)} includes itself ({string.Join(" -> ", stack.Select(Display))})");
        }
        if (stack.Count >= KustomizeLimits.MaxDepth)
        {
            throw new KustomizeException(referencedAt, $"kustomizations nested deeper than {KustomizeLimits.MaxDepth}");
        }
        var file = KustomizationReader.FindFile(folder, referencedAt)
            ?? throw new KustomizeException(referencedAt, $"{Display(folder)} holds no kustomization ({string.Join(", ", KustomizationReader.FileNames)})");
        var kustomization = KustomizationReader.Read(Display(file), folder, ReadFile(file, referencedAt));
        foreach (var image in kustomization.Images)
        {
            ImageNameMatcher.Check(image);
        }
        stack.Add(folder);
        var resources = new List<ResourceEntry>();
        foreach (var resource in kustomization.Resources)
        {
            if (resource.IsUrl)
            {
                resources.Add(new ResourceEntry(resource, Remote: RawGitHubFile.Parse(resource, upstream)));
                continue;
            }
            var full = Path.GetFullPath(Path.Combine(folder, resource.Value));
            if (!AutoUpdate.WorkTree.IsInside(root, full))
            {
                throw new KustomizeException(resource.Position, $"resource {Output.Untrusted.Line(resource.Value, 120)} lies outside {displayRoot}; imagesync reads only the repository's files");
            }
            if (Directory.Exists(full))
            {
                resources.Add(new ResourceEntry(resource, Nested: Read(full, resource.Position, stack)));
            }
            else if (File.Exists(full))
            {
                // kustomize's default load restriction: a file resource lies in or below its kustomization's folder.
                if (!AutoUpdate.WorkTree.IsInside(folder, full))
                {
                    throw new KustomizeException(resource.Position, $"resource {Output.Untrusted.Line(resource.Value, 120)} is a file outside the kustomization's folder; kustomize refuses it (security: file is not in or below {Display(folder)})");
                }
                resources.Add(new ResourceEntry(resource, DisplayPath: Display(full), Content: ReadFile(full, resource.Position)));
            }
            else
            {
                throw new KustomizeException(resource.Position, $"resource {Output.Untrusted.Line(resource.Value, 120)}: no such file or folder");
            }
        }
        stack.RemoveAt(stack.Count - 1);
        return new KustomizationNode(kustomization, resources);
    }

    private string ReadFile(string path, SourcePosition referencedAt)
    {
        if (_files.TryGetValue(path, out var known))
        {
            return known;
        }
        if (_files.Count >= KustomizeLimits.MaxFiles)
        {
            throw new KustomizeException(referencedAt, $"more than {KustomizeLimits.MaxFiles} files to read; stopped");
        }
        try
        {
            var content = ReadBounded(path, referencedAt);
            _files[path] = content;
            return content;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KustomizeException(referencedAt, $"cannot read {Display(path)}: {Output.Untrusted.Line(e.Message, 120)}", e);
        }
    }

    private string ReadBounded(string path, SourcePosition referencedAt)
    {
        // A pipe or a device shows a length of 0 and opening one could block, or never end: a file of no bytes is
        // read as empty without being opened, and anything else is read only up to the length it had.
        var length = new FileInfo(path).Length;
        var limit = Math.Min(KustomizeLimits.MaxFileBytes, KustomizeLimits.MaxTotalBytes - _bytes);
        if (length > limit)
        {
            throw new KustomizeException(referencedAt, $"{Display(path)}: {length} bytes is more than imagesync reads ({KustomizeLimits.MaxFileBytes / 1024 / 1024} MiB a file, {KustomizeLimits.MaxTotalBytes / 1024 / 1024} MiB in all)");
        }
        if (length == 0)
        {
            return "";
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (!stream.CanSeek || stream.Length > limit)
        {
            throw new KustomizeException(referencedAt, $"{Display(path)} is not a regular file, or grew while it was read");
        }
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        _bytes += bytes.Length;
        return new System.Text.UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF');
    }
}
