using System.Text.Json;

namespace ImageSync.Layout;

/// <summary>
/// What Validate says about a layout folder before any run: an upstream must be an OCI layout of version 1.0.0; a
/// target may be missing (it is made) or empty, and otherwise must be such a layout, never a file or a folder of
/// other files. The same rules <see cref="OciLayout"/> keeps when it reads and writes, said early and with the line.
/// </summary>
public static class LayoutFolderCheck
{
    /// <summary>Null when the folder will do; otherwise why not, in one line.</summary>
    public static string? Problem(string written, bool target)
    {
        var paths = new LayoutPaths(written);
        if (File.Exists(paths.Root))
        {
            return $"ocidir://{written} is a file, not a folder";
        }
        if (!Directory.Exists(paths.Root))
        {
            return target ? null : $"ocidir://{written}: no such folder ({paths.Root})";
        }
        if (!File.Exists(paths.OciLayout))
        {
            var empty = !Directory.EnumerateFileSystemEntries(paths.Root).Any(e => !Path.GetFileName(e).StartsWith(".imagesync-", StringComparison.Ordinal));
            return target && empty ? null
                : target ? $"ocidir://{written} holds files and no oci-layout; imagesync writes a layout only into an empty folder or an OCI layout"
                : $"ocidir://{written} has no oci-layout file, so it is no OCI image layout";
        }
        if (Version(paths.OciLayout) is var version && version != OciLayout.LayoutVersion)
        {
            return $"ocidir://{written}: oci-layout says imageLayoutVersion {Output.Untrusted.Line(version ?? "nothing readable", 40)}; imagesync reads and writes {OciLayout.LayoutVersion}";
        }
        return target || File.Exists(paths.Index) ? null : $"ocidir://{written} has no index.json, so it holds no tags";
    }

    private static string? Version(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length is 0 or > 64 * 1024)
            {
                return null;
            }
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("imageLayoutVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
