using ImageSync.Config;
using ImageSync.Copy;
using ImageSync.Errors;
using ImageSync.Output;
using ImageSync.References;
using ImageSync.Reporting;

namespace ImageSync.Tests.Reporting;

/// <summary>Report --merge's folder scan, without the command line.</summary>
public sealed class ReportFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-reports-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task WriteShardAsync(string path, int shard, long durationMs)
    {
        IReadOnlyList<TagResult> results = [new("a", "1.0", Reference.Parse("docker.io/a/b:1.0"), Reference.Parse("quay.io/a/b:1.0"), null, null, null, TagAction.Copied, 5, TimeSpan.FromMilliseconds(durationMs), null)];
        var run = new RunRecord("1.0.0", null, "SyncAll", "c.json", "sha256:" + new string('c', 64), new Shard(shard, 2), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0);
        await JsonReport.WriteAsync(path, run, results, SyncSummary.From(results, TimeSpan.Zero), new OutputGuard(), CancellationToken.None);
    }

    [Fact]
    public async Task No_folder_and_a_folder_without_reports_are_refused_by_name()
    {
        var missing = Path.Combine(_dir, "none");

        var none = await Assert.ThrowsAsync<ImageSyncException>(() => ReportFolder.ReadAsync(missing, CancellationToken.None));
        var empty = await Assert.ThrowsAsync<ImageSyncException>(() => ReportFolder.ReadAsync(_dir, CancellationToken.None));

        Assert.Equal($"--merge: no folder {missing}", none.Message);
        Assert.Equal($"--merge: no .json report in {_dir}", empty.Message);
    }

    [Fact]
    public async Task Every_report_below_the_folder_is_read_and_the_merged_run_lasts_as_long_as_its_longest_result()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "shard-2"));
        await WriteShardAsync(Path.Combine(_dir, "shard-1.json"), 1, 1500);
        await WriteShardAsync(Path.Combine(_dir, "shard-2", "report.json"), 2, 2500);

        var merged = await ReportFolder.ReadAsync(_dir, CancellationToken.None);

        Assert.Equal(2, merged.Files);
        Assert.Equal(2, merged.Results.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), merged.Duration);
    }

    [Fact]
    public async Task A_missing_shard_is_refused_by_name()
    {
        await WriteShardAsync(Path.Combine(_dir, "shard-1.json"), 1, 1500);

        var e = await Assert.ThrowsAsync<ImageSyncException>(() => ReportFolder.ReadAsync(_dir, CancellationToken.None));

        Assert.StartsWith("--merge: shard 2/2: no report in", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_report_says_where_and_what_in_words()
    {
        var path = Path.Combine(_dir, "shard-1.json");
        await File.WriteAllTextAsync(path, "{ \"results\": [\n");

        var e = await Assert.ThrowsAsync<ImageSyncException>(() => ReportFolder.ReadAsync(_dir, CancellationToken.None));

        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(e.Message, @"^--merge: .*shard-1\.json: not an imagesync --report file \(at \d+:\d+: expected \} or \], found end of file"), e.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_report_is_a_user_error()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "x.json"), """{ "results": [ { "image": "a" } ] }""");

        await Assert.ThrowsAsync<ImageSyncException>(() => ReportFolder.ReadAsync(_dir, CancellationToken.None));
    }
}
