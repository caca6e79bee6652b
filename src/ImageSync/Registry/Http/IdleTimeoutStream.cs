namespace ImageSync.Registry.Http;

/// <summary>A body that must deliver bytes at least every <paramref name="idle"/>; else the read fails as a dropped connection would.</summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan idle, string what) : ReadOnlyStream
{
    public override long Length => inner.Length;

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(idle);
        try
        {
            return await inner.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"{what}: no data for {idle.TotalSeconds:0.#} s", new TimeoutException());
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
