using ImageSync.Copy;

namespace ImageSync.Tests.Copy;

/// <summary>Upload bodies are counted as they are read, and can be stopped before their session is cancelled.</summary>
public sealed class CountingStreamTests
{
    [Fact]
    public async Task Bytes_are_counted_as_each_read_returns_not_when_the_blob_ends()
    {
        var seen = new List<long>();
        await using var stream = new CountingStream(new MemoryStream(new byte[10]), seen.Add);
        var buffer = new byte[4];

        while (await stream.ReadAsync(buffer) > 0)
        {
        }

        Assert.Equal([4, 4, 2, 0], seen);
        Assert.Equal(10, stream.Count);
    }

    [Fact]
    public async Task After_stop_no_more_bytes_are_read()
    {
        await using var stream = new CountingStream(new MemoryStream(new byte[10]), _ => { });
        await stream.StopAsync(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => _ = await stream.ReadAsync(new byte[4]));
        Assert.Equal(0, stream.Count);
    }
}
