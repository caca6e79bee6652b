using ImageSync.Common;

namespace ImageSync.Copy;

/// <summary>
/// A stream whose source is still being opened: an upload can be on its way (its request sent, its session opened)
/// while the source GET's answer is too, and the first read waits for it. Disposing it disposes the source, also
/// when that arrives only later, so a GET started for an upload that failed first does not keep its connection.
/// </summary>
internal sealed class DeferredStream(Task<Stream> opening) : ReadOnlyStream
{
    private int _disposed;

    /// <summary>Ends when the source answered; throws what opening it threw.</summary>
    public Task Opened => opening;

    public override long Length => throw new NotSupportedException();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var source = await opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Observed either way: a source that failed after its upload did has nobody else to hear of it.
            _ = opening.ContinueWith(static t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    t.Result.Dispose();
                }
                else
                {
                    _ = t.Exception;
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        base.Dispose(disposing);
    }
}
