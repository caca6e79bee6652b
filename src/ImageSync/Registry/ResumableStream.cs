using ImageSync.Common;

namespace ImageSync.Registry;

/// <summary>
/// A blob download that survives a dropped connection: it reopens at the current offset with a Range request
/// (the caller's <paramref name="open"/> checks for 206 and a matching Content-Range), as often and as patiently
/// as the run's <see cref="Http.RetryPolicy"/> allows.
/// </summary>
internal sealed class ResumableStream(Stream first, long size, Func<long, CancellationToken, Task<Stream>> open, Http.RetryPolicy retry) : ReadOnlyStream
{
    private Stream _current = first;
    private long _position;
    private int _resumes;

    public override long Length => size;

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                var n = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (n == 0 && _position < size)
                {
                    throw new IOException($"the connection closed after {_position} of {size} bytes");
                }
                _position += n;
                return n;
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested && _resumes < retry.MaxRetries && _position < size)
            {
                _resumes++;
                await _current.DisposeAsync().ConfigureAwait(false);
                await Task.Delay(retry.Backoff(_resumes), cancellationToken).ConfigureAwait(false);
                _current = await open(_position, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current.Dispose();
        }
        base.Dispose(disposing);
    }
}
