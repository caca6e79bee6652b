using ImageSync.Copy;
using ImageSync.Errors;

namespace ImageSync.Reporting;

/// <summary>The JSON reports of a sharded run, read from one folder (Report --merge): every shard's results together.</summary>
public sealed record ReportFolder(string Path, int Files, IReadOnlyList<TagResult> Results)
{
    /// <summary>The merged run's length: the shards ran side by side, so the longest result's.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(Results.Count == 0 ? 0 : Results.Max(r => r.Duration.Ticks));

    /// <summary>Every <c>*.json</c> under <paramref name="folder"/>, in path order.</summary>
    /// <exception cref="ImageSyncException">No such folder, no report in it, or a report that is not one.</exception>
    public static async Task<ReportFolder> ReadAsync(string folder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder))
        {
            throw new ImageSyncException($"--merge: no folder {folder}");
        }
        var files = Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new ImageSyncException($"--merge: no .json report in {folder}");
        }
        var results = new List<TagResult>();
        foreach (var file in files)
        {
            try
            {
                results.AddRange(await JsonReport.ReadAsync(file, cancellationToken).ConfigureAwait(false));
            }
            catch (InvalidDataException e)
            {
                throw new ImageSyncException(e.Message, e);
            }
        }
        return new ReportFolder(folder, files.Count, results);
    }
}
