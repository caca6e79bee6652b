using ImageSync.Config;
using ImageSync.Kustomize;

namespace ImageSync.Samples;

/// <summary>
/// The kustomizations the <c>kustomize</c> section names, read with <see cref="KustomizationReader"/>: each path is a
/// folder holding a kustomization, or a folder of such folders (one level down), relative to the configuration.
/// </summary>
public static class KustomizationFolders
{
    public static IReadOnlyList<Kustomization> Read(SyncConfig config, string configFolder)
    {
        var result = new List<Kustomization>();
        if (config.Kustomize is not { } settings)
        {
            return result;
        }
        for (var i = 0; i < settings.Paths.Count; i++)
        {
            var folder = Path.GetFullPath(Path.Combine(configFolder, settings.Paths[i]));
            var at = settings.PathPositions.Count > i ? settings.PathPositions[i] : settings.Position;
            IReadOnlyList<string> folders = KustomizationReader.FindFile(folder, at) is not null ? [folder]
                : Directory.Exists(folder) ? [.. new DirectoryInfo(folder).EnumerateDirectories().Where(d => d.LinkTarget is null).Select(d => d.FullName).Order(StringComparer.Ordinal)] : [];
            foreach (var one in folders)
            {
                if (KustomizationReader.FindFile(one, at) is { } file)
                {
                    var display = Path.GetRelativePath(configFolder, file).Replace('\\', '/');
                    result.Add(KustomizationReader.Read(display, one, File.ReadAllText(file)));
                }
            }
        }
        return result;
    }
}
