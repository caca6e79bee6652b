using ImageSync.Copy;
using ImageSync.Reporting;

namespace ImageSync.Tests.Reporting;

/// <summary>What an interrupted run says it left undone, and how tags are named in progress lines.</summary>
public sealed class InterruptReportTests
{
    [Fact]
    public void The_tags_not_done_the_ones_in_flight_and_every_session_that_could_not_be_cancelled_are_said()
    {
        var progress = new RunProgress();
        progress.Started("a:1");
        progress.Finished("a:1");
        progress.Started("b:1");
        progress.UploadSessionClosed(null, "quay.io/x/b@sha256:1");
        progress.UploadSessionClosed("404 Not Found", "quay.io/x/b@sha256:2");

        var lines = InterruptReport.Lines(progress, 3).ToList();

        Assert.Equal(
        [
            "interrupted: 1 of 3 tags done; 2 left undone (stopped while working on b:1; their tags were not written)",
            "cancelled 1 open upload session in the target",
            "warning: could not cancel the upload session of quay.io/x/b@sha256:2: 404 Not Found; its bytes stay in the target's uploads until the registry expires them",
        ], lines);
    }

    [Fact]
    public void Bytes_of_a_failed_attempt_are_taken_back()
    {
        var progress = new RunProgress();
        progress.Uploaded(100);
        progress.Uploaded(-40);

        Assert.Equal(60, progress.BytesUploaded);
    }

    [Theory]
    [InlineData("pilot", "1.0", "pilot:1.0")]
    [InlineData("busybox:1.31.1", "1.31.1", "busybox:1.31.1")]
    [InlineData("busybox:1.31.1", "1.31", "busybox:1.31.1:1.31")]
    public void A_tag_is_named_once_even_when_the_image_name_carries_it(string image, string tag, string label)
    {
        Assert.Equal(label, TagLabel.Of(image, tag));
        Assert.Equal(label, $"{TagLabel.ImageOf(image, tag)}:{tag}");
    }
}
