using ImageSync.Config;
using ImageSync.Errors;
using ImageSync.Reporting;

namespace ImageSync.Tests.Reporting;

/// <summary>A merge is of one whole run: every shard once, one configuration.</summary>
public sealed class ShardReportsTests
{
    private static ReportContent Report(string path, string? shard, string? digest = "sha256:" + "ab")
    {
        Shard? parsed = null;
        Assert.True(shard is null || Shard.TryParse(shard, out parsed, out _));
        return new ReportContent(path, new RunRecord("1.0.0", null, "SyncAll", "c.json", digest, parsed, default, default, 0), []);
    }

    [Fact]
    public void Every_shard_once_of_one_configuration_is_whole_in_any_order()
    {
        ShardReports.CheckWhole([Report("c", "3/3"), Report("a", "1/3"), Report("b", "2/3")], "dir");
        ShardReports.CheckWhole([Report("a", null)], "dir");
    }

    [Theory]
    [InlineData("1/2", null, "shard 2/2: no report in dir")]
    [InlineData("1/1", "1/1", "shard 1/1 is reported more than once (a, b)")]
    [InlineData(null, null, "shard 1/1 is reported more than once (a, b)")]
    [InlineData("1/2", "2/3", "b is shard 2/3 but a is shard 1/2")]
    public void A_set_that_is_not_one_whole_run_names_the_shard(string? first, string? second, string message)
    {
        IReadOnlyList<ReportContent> reports = second is null && first == "1/2" ? [Report("a", first)] : [Report("a", first), Report("b", second)];

        var e = Assert.Throws<ImageSyncException>(() => ShardReports.CheckWhole(reports, "dir"));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_of_another_configuration_are_named()
    {
        var e = Assert.Throws<ImageSyncException>(() => ShardReports.CheckWhole([Report("a", "1/2"), Report("b", "2/2", "sha256:cd")], "dir"));

        Assert.Equal("b (shard 2/2) was made from another configuration (sha256:cd) than a (sha256:ab)", e.Message);
    }
}
