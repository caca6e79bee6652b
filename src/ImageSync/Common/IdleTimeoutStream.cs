namespace ImageSync.Common;

/// <summary>A body that must deliver bytes at least every <paramref name="idle"/>; else the read fails as a dropped connection would.</summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan idle, string what) : ReadOnlyStream
{
    // One timer for every read, reset between reads: a 600 MB layer is tens of thousands of reads.
    private CancellationTokenSource _deadline = new();

    public override long Length => inner.Length;

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_deadline.TryReset())
        {
            _deadline.Dispose();
            _deadline = new CancellationTokenSource();
        }
        _deadline.CancelAfter(idle);
        using var caller = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _deadline);
        try
        {
            return await inner.ReadAsync(buffer, _deadline.Token).ConfigureAwait(false);
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
            _deadline.Dispose();
        }
        base.Dispose(disposing);
    }
}
