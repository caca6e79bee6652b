using ImageSync.Errors;
using ImageSync.Reporting;

namespace ImageSync.Tests.Reporting;

/// <summary>Report --merge's folder scan, without the command line.</summary>
public sealed class ReportFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-reports-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string OneResult = """
        { "results": [ { "image": "a", "tag": "1.0", "source": "docker.io/a/b:1.0", "target": "quay.io/a/b:1.0", "action": "copied", "bytes": 5, "durationMs": 1500 } ] }
        """;

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
        await File.WriteAllTextAsync(Path.Combine(_dir, "shard-1.json"), OneResult);
        await File.WriteAllTextAsync(Path.Combine(_dir, "shard-2", "report.json"), OneResult.Replace("1500", "2500", StringComparison.Ordinal));

        var merged = await ReportFolder.ReadAsync(_dir, CancellationToken.None);

        Assert.Equal(2, merged.Files);
        Assert.Equal(2, merged.Results.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), merged.Duration);
    }

    [Fact]
    public async Task A_file_that_is_not_a_report_is_a_user_error()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "x.json"), """{ "results": [ { "image": "a" } ] }""");

        await Assert.ThrowsAsync<ImageSyncException>(() => ReportFolder.ReadAsync(_dir, CancellationToken.None));
    }
}
