using ImageSync.References;
using ImageSync.Registry;

namespace ImageSync.Tests.Registry;

public class StreamTests
{
    private static readonly byte[] Content = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];

    private static Descriptor DescriptorOf(byte[] content) => new(MediaTypes.OctetStream, Digest.Sha256(content), content.Length);

    [Fact]
    public async Task Passes_the_right_bytes_through()
    {
        await using var stream = new VerifyingStream(new MemoryStream(Content), DescriptorOf(Content), "blob");
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(Content, copy.ToArray());
    }

    [Fact]
    public async Task Refuses_wrong_bytes_before_handing_out_the_last_chunk()
    {
        var tampered = (byte[])Content.Clone();
        tampered[^1] ^= 0xff;
        await using var stream = new VerifyingStream(new MemoryStream(tampered), DescriptorOf(Content), "blob x");
        var copy = new MemoryStream();
        var e = await Assert.ThrowsAsync<DigestMismatchException>(() => stream.CopyToAsync(copy, 64 * 1024));
        Assert.Contains("blob x: digest mismatch", e.Message, StringComparison.Ordinal);
        Assert.True(copy.Length < Content.Length);
    }

    [Fact]
    public async Task Refuses_a_short_or_a_long_blob()
    {
        await using var shorter = new VerifyingStream(new MemoryStream(Content[..1000]), DescriptorOf(Content), "blob");
        await Assert.ThrowsAsync<IOException>(() => shorter.CopyToAsync(Stream.Null));
        var longer = Content.Concat(new byte[] { 1 }).ToArray();
        await using var longStream = new VerifyingStream(new MemoryStream(longer), DescriptorOf(Content) with { Size = Content.Length }, "blob");
        await Assert.ThrowsAsync<DigestMismatchException>(() => longStream.CopyToAsync(Stream.Null, 1000));
    }

    [Fact]
    public async Task Verifies_an_empty_blob()
    {
        var wrong = new Descriptor(MediaTypes.OctetStream, Digest.Sha256([1]), 0);
        await using var stream = new VerifyingStream(new MemoryStream([]), wrong, "empty");
        await Assert.ThrowsAsync<DigestMismatchException>(() => stream.CopyToAsync(Stream.Null));
    }

    [Fact]
    public async Task A_dropped_download_resumes_at_the_offset_it_reached()
    {
        var offsets = new List<long>();
        var first = new FailingStream(Content, failAfter: 100_000);
        await using var stream = new ResumableStream(first, Content.Length, (offset, _) =>
        {
            offsets.Add(offset);
            return Task.FromResult<Stream>(new MemoryStream(Content[(int)offset..]));
        }, ImageSync.Registry.Http.RetryPolicy.Default with { BaseDelay = TimeSpan.FromMilliseconds(10) });
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, 10_000);
        Assert.Equal(Content, copy.ToArray());
        Assert.Equal([100_000L], offsets);
    }

    private sealed class FailingStream(byte[] content, int failAfter) : MemoryStream(content)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter ? throw new IOException("connection reset") : base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, failAfter - Position)], cancellationToken);
    }
}
