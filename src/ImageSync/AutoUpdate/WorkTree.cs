using ImageSync.Errors;

namespace ImageSync.AutoUpdate;

/// <summary>
/// The one place that decides which files of the repository AutoUpdate may read and write: regular files under a
/// folder that itself lies inside the repository, reached without following a symbolic link, so that a link in
/// samples/ (or a --samples that leads elsewhere) can never make the tool write outside what it means to.
/// </summary>
public static class WorkTree
{
    /// <summary>Every regular file under <paramref name="root"/>, in path order; links to files or folders are passed over.</summary>
    public static IEnumerable<string> RegularFiles(string root)
    {
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(root)]);
        var files = new List<string>();
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos())
            {
                if (entry.LinkTarget is not null)
                {
                    continue;
                }
                if (entry is DirectoryInfo directory)
                {
                    pending.Push(directory);
                }
                else
                {
                    files.Add(entry.FullName);
                }
            }
        }
        return files.Order(StringComparer.Ordinal);
    }

    /// <summary>The path with every symbolic link in it resolved, as the operating system would reach it.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            current = info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target
                ? RealPath(target.FullName)
                : next;
        }
        return current;
    }

    public static bool IsInside(string folder, string path)
    {
        var relative = Path.GetRelativePath(RealPath(folder), RealPath(path));
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }

    /// <exception cref="ImageSyncException"><paramref name="path"/> is a link, or does not lie inside <paramref name="folder"/>.</exception>
    public static void EnsureWritable(string folder, string path)
    {
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw new ImageSyncException($"{path} is a symbolic link; AutoUpdate writes only regular files");
        }
        if (!IsInside(folder, path))
        {
            throw new ImageSyncException($"{path} lies outside {folder}; AutoUpdate writes nothing there");
        }
    }
}
