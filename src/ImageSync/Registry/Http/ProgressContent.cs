namespace ImageSync.Registry.Http;

/// <summary>
/// Sends another content's bytes and tells the request's deadline when to run: it runs while a write to the
/// registry is pending and restarts after each, so a long upload that keeps moving is never cut and one the
/// registry stops taking is; it stops while the next bytes are read from the source, whose own idle limit applies
/// there (a stalled upstream is reported as the upstream's fault). It does not own the content it wraps (the
/// caller may send that again).
/// </summary>
internal sealed class ProgressContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Action _arm;
    private readonly Action _disarm;

    public ProgressContent(HttpContent inner, Action arm, Action disarm)
    {
        _inner = inner;
        _arm = arm;
        _disarm = disarm;
        foreach (var (name, values) in inner.Headers)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            while (true)
            {
                _disarm();
                int n;
                try
                {
                    n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    throw new SourceReadException(e);
                }
                _arm();
                if (n == 0)
                {
                    return;
                }
                await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _inner.Headers.ContentLength ?? -1;
        return length >= 0;
    }
}
