using ImageSync.Common;

namespace ImageSync.Copy;

/// <summary>
/// A blob's body on its way to the target, counted as it is read (so progress moves during a large layer, not only
/// when it ends), and stoppable: <see cref="StopAsync"/> waits for a read in progress and refuses the next, so
/// that once it returns the upload sends no more bytes and its session can be cancelled.
/// </summary>
internal sealed class CountingStream(Stream inner, Action<long> counted) : ReadOnlyStream
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private bool _stopped;

    /// <summary>Bytes read so far.</summary>
    public long Count { get; private set; }

    public override long Length => inner.Length;

    public override bool CanSeek => false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Count += n;
            counted(n);
            return n;
        }
        finally
        {
            _reading.Release();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Waits for a read in progress to end (up to <paramref name="bound"/>), then refuses every later one.</summary>
    public async Task StopAsync(TimeSpan bound)
    {
        var entered = await _reading.WaitAsync(bound).ConfigureAwait(false);
        _stopped = true;
        if (entered)
        {
            _reading.Release();
        }
    }

    /// <summary>
    /// The request that sends this stream disposes it (StreamContent does) before the caller stops it; the lock is
    /// kept (a SemaphoreSlim whose wait handle is never asked for holds nothing to free), so stopping still works.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        _stopped = true;
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
