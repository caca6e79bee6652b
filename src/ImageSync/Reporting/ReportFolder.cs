using ImageSync.Copy;
using ImageSync.Errors;

namespace ImageSync.Reporting;

/// <summary>
/// The JSON reports of a sharded run, read from one folder (Report --merge) and checked to be one whole run
/// (<see cref="ShardReports"/>): every shard's results together.
/// </summary>
public sealed record ReportFolder(string Path, IReadOnlyList<ReportContent> Reports)
{
    public int Files => Reports.Count;

    public IReadOnlyList<TagResult> Results { get; } = [.. Reports.SelectMany(r => r.Results)];

    /// <summary>The merged run's length: the shards ran side by side, so the longest result's.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(Results.Count == 0 ? 0 : Results.Max(r => r.Duration.Ticks));

    /// <summary>Every <c>*.json</c> under <paramref name="folder"/>, in path order.</summary>
    /// <exception cref="ImageSyncException">No such folder, no report in it, a report that is not one, or reports that are not one whole run; the message starts with <c>--merge:</c>.</exception>
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
        try
        {
            return new ReportFolder(folder, await ShardReports.ReadAsync(folder, files, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is InvalidDataException or ImageSyncException)
        {
            throw new ImageSyncException($"--merge: {e.Message}", e);
        }
    }
}
