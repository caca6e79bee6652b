using ImageSync.Copy;
using ImageSync.References;
using ImageSync.Reporting;

namespace ImageSync.Tests.Reporting;

/// <summary>The one place results become exit codes: every action, on its own and with the worst beside it.</summary>
public sealed class SyncSummaryTests
{
    private static TagResult Tag(TagAction action, long bytes = 0) => new(
        "img", "1.0", Reference.Parse("docker.io/a/b:1.0"), Reference.Parse("quay.io/a/b:1.0"),
        null, null, null, action, bytes, TimeSpan.Zero, action == TagAction.Error ? "boom" : null);

    private static TagResult[] Tags(params TagAction[] actions) => [.. actions.Select(a => Tag(a))];

    [Theory]
    [InlineData(TagAction.InSync, ExitCodes.Success)]
    [InlineData(TagAction.Missing, ExitCodes.NotInSync)]
    [InlineData(TagAction.Outdated, ExitCodes.NotInSync)]
    [InlineData(TagAction.Conflict, ExitCodes.NotInSync)]
    [InlineData(TagAction.UpstreamMissing, ExitCodes.NotInSync)]
    [InlineData(TagAction.Error, ExitCodes.Failure)]
    [InlineData(TagAction.Unverified, ExitCodes.Failure)]
    public void Status_exits_by_the_worst_tag(TagAction action, int expected)
    {
        Assert.Equal(expected, SyncSummary.StatusExitCode(Tags(TagAction.InSync, action)));
    }

    [Theory]
    [InlineData(TagAction.InSync, ExitCodes.Success)]
    [InlineData(TagAction.Copied, ExitCodes.Success)]
    [InlineData(TagAction.WouldCopy, ExitCodes.Success)]
    [InlineData(TagAction.Conflict, ExitCodes.NotInSync)]
    [InlineData(TagAction.UpstreamMissing, ExitCodes.Failure)]
    [InlineData(TagAction.Error, ExitCodes.Failure)]
    [InlineData(TagAction.Unverified, ExitCodes.Failure)]
    public void Sync_exits_by_the_worst_tag(TagAction action, int expected)
    {
        Assert.Equal(expected, SyncSummary.SyncExitCode(Tags(TagAction.Copied, action), expected: 2));
    }

    [Fact]
    public void A_sync_that_lost_a_tag_is_a_failure_even_when_the_rest_is_in_sync()
    {
        Assert.Equal(ExitCodes.Failure, SyncSummary.SyncExitCode(Tags(TagAction.InSync), expected: 2));
    }

    [Fact]
    public void An_error_outweighs_a_conflict()
    {
        Assert.Equal(ExitCodes.Failure, SyncSummary.SyncExitCode(Tags(TagAction.Conflict, TagAction.Error), expected: 2));
    }

    [Theory]
    [InlineData(TagAction.InSync, ExitCodes.Success)]
    [InlineData(TagAction.Copied, ExitCodes.Success)]
    [InlineData(TagAction.WouldCopy, ExitCodes.Success)]
    [InlineData(TagAction.Missing, ExitCodes.NotInSync)]
    [InlineData(TagAction.Outdated, ExitCodes.NotInSync)]
    [InlineData(TagAction.Conflict, ExitCodes.NotInSync)]
    [InlineData(TagAction.UpstreamMissing, ExitCodes.Failure)]
    [InlineData(TagAction.Error, ExitCodes.Failure)]
    [InlineData(TagAction.Unverified, ExitCodes.Failure)]
    public void Merged_reports_exit_by_the_worst_tag_whatever_target_wrote_them(TagAction action, int expected)
    {
        Assert.Equal(expected, SyncSummary.MergedExitCode(Tags(TagAction.InSync, action)));
    }

    [Fact]
    public void Totals_count_actions_by_their_report_names_and_add_the_bytes()
    {
        var summary = SyncSummary.From([Tag(TagAction.Copied, 10), Tag(TagAction.Copied, 5), Tag(TagAction.InSync)], TimeSpan.FromSeconds(1));

        Assert.Equal(3, summary.Total);
        Assert.Equal(15, summary.Bytes);
        Assert.Equal(new Dictionary<string, int> { ["copied"] = 2, ["in-sync"] = 1 }, summary.ByAction);
    }
}
