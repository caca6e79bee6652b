using ImageSync.Errors;
using ImageSync.Registry;

namespace ImageSync.Tests.Errors;

public sealed class FailureTextTests
{
    [Fact]
    public void A_failure_the_user_can_act_on_is_its_one_line_without_a_type_name_or_stack()
    {
        var lines = FailureText.Describe("AutoUpdate", new ImageSyncException("--branch main is the default branch"), debug: true);

        Assert.Equal(["error: AutoUpdate: --branch main is the default branch"], lines);
    }

    [Fact]
    public void A_registry_answer_is_one_too()
    {
        var lines = FailureText.Describe("SyncAll", new RegistryException("HEAD manifest: 401 Unauthorized"), debug: false);

        Assert.Equal(["error: SyncAll: HEAD manifest: 401 Unauthorized"], lines);
    }

    [Fact]
    public void Anything_else_is_called_a_defect_and_points_at_debug()
    {
        var bug = Assert.Throws<InvalidOperationException>(() => Array.Empty<int>().First());

        var lines = FailureText.Describe("SyncAll", bug, debug: false);

        var line = Assert.Single(lines);
        Assert.StartsWith("error: SyncAll: internal error, a defect in imagesync (InvalidOperationException: ", line);
        Assert.EndsWith("run again with --debug for the stack to report", line);
    }

    [Fact]
    public void Under_debug_a_defect_carries_its_stack()
    {
        var bug = Assert.Throws<InvalidOperationException>(() => Array.Empty<int>().First());

        var lines = FailureText.Describe("SyncAll", bug, debug: true);

        Assert.Equal(2, lines.Count);
        Assert.Contains(nameof(Under_debug_a_defect_carries_its_stack), lines[1]);
    }

    [Fact]
    public void A_message_from_outside_stays_one_line()
    {
        var lines = FailureText.Describe("Sync", new ImageSyncException("first\nsecond"), debug: false);

        Assert.DoesNotContain('\n', Assert.Single(lines));
    }
}
