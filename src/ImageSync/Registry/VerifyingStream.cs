using ImageSync.Common;
using System.Security.Cryptography;
using ImageSync.References;

namespace ImageSync.Registry;

/// <summary>
/// Hashes a blob while it streams through and refuses it before its last byte is passed on when size or digest are
/// wrong, so a bad blob never completes an upload. Memory use does not depend on the blob's size.
/// </summary>
public sealed class VerifyingStream(Stream inner, Descriptor expected, string what) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(expected.Digest.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
    private long _read;
    private bool _verified;

    public override long Length => expected.Size;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Check(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Check(buffer.Span[..n]);
        return n;
    }

    private void Check(ReadOnlySpan<byte> chunk)
    {
        _read += chunk.Length;
        if (_read > expected.Size)
        {
            throw new DigestMismatchException($"{what}: more than the {expected.Size} bytes the descriptor names", expected.Digest, "a longer blob");
        }
        _hash.AppendData(chunk);
        if (chunk.Length == 0 && _read < expected.Size)
        {
            throw new IOException($"{what}: the stream ended after {_read} of {expected.Size} bytes");
        }
        if (_read == expected.Size && !_verified)
        {
            _verified = true;
            var actual = $"{expected.Digest.Algorithm}:{Convert.ToHexStringLower(_hash.GetHashAndReset())}";
            if (actual != expected.Digest.ToString())
            {
                throw new DigestMismatchException(what, expected.Digest, actual);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
