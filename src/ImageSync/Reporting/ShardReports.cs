using ImageSync.Errors;

namespace ImageSync.Reporting;

/// <summary>
/// The reports a sharded run left for Report --merge, checked to be the whole run before anything is summed: one
/// report for every shard K of N, none twice, all from the same configuration (the digest of its bytes). A missing
/// report means a job failed, was cancelled or uploaded nothing; a merge without it would summarise part of the mirror.
/// </summary>
public static class ShardReports
{
    /// <exception cref="InvalidDataException">A file is not a report.</exception>
    /// <exception cref="ImageSyncException">The reports are not one whole run; the message names the shard or file.</exception>
    public static async Task<IReadOnlyList<ReportContent>> ReadAsync(string folder, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var reports = new List<ReportContent>();
        foreach (var file in files)
        {
            var report = await JsonReport.ReadAsync(file, cancellationToken).ConfigureAwait(false);
            reports.Add(report with { Path = Path.GetRelativePath(folder, file) });
        }
        CheckWhole(reports, folder);
        return reports;
    }

    public static void CheckWhole(IReadOnlyList<ReportContent> reports, string folder)
    {
        if (reports.Count == 0)
        {
            return;
        }
        var first = reports[0];
        // An unsharded run is its own whole: shard 1 of 1.
        static Config.Shard ShardOf(ReportContent r) => r.Run.Shard ?? new Config.Shard(1, 1);
        var count = ShardOf(first).Count;
        foreach (var report in reports)
        {
            if (ShardOf(report).Count != count)
            {
                throw new ImageSyncException($"{report.Path} is shard {ShardOf(report)} but {first.Path} is shard {ShardOf(first)}: they are reports of different runs");
            }
            if (report.Run.ConfigDigest != first.Run.ConfigDigest)
            {
                throw new ImageSyncException($"{report.Path} (shard {ShardOf(report)}) was made from another configuration ({report.Run.ConfigDigest ?? "unknown"}) than {first.Path} ({first.Run.ConfigDigest ?? "unknown"})");
            }
        }
        foreach (var repeated in reports.GroupBy(r => ShardOf(r).Index).Where(g => g.Count() > 1))
        {
            throw new ImageSyncException($"shard {repeated.Key}/{count} is reported more than once ({string.Join(", ", repeated.Select(r => r.Path))})");
        }
        var missing = Enumerable.Range(1, count).Except(reports.Select(r => ShardOf(r).Index)).ToList();
        if (missing.Count > 0)
        {
            throw new ImageSyncException($"{string.Join(", ", missing.Select(k => $"shard {k}/{count}"))}: no report in {folder} (its job failed, was cancelled or uploaded nothing); the merge would summarise part of the mirror");
        }
    }
}
