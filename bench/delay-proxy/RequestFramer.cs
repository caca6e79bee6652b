using System.Buffers.Text;
using System.Text;

namespace DelayProxy;

/// <summary>
/// Finds where each HTTP/1.1 request on a client-to-server byte stream begins, so that a keep-alive connection is
/// delayed once per request and not once per connection (RFC 9112 section 6: a request is its request line and
/// headers, then a body framed by Transfer-Encoding: chunked or Content-Length, else no body).
/// Minimal on purpose: it reads the header block (a few hundred bytes), skips Content-Length bodies by counting
/// (no per-byte work), and reads only the size lines of chunked bodies. Bytes are never changed, only counted.
/// A stream it cannot frame (a header block over 64 KiB, a bad length, CONNECT or Upgrade) is passed through as it
/// is, with no further delays, and <see cref="Unframed"/> says why.
/// </summary>
internal sealed class RequestFramer
{
    private const int MaxHead = 64 * 1024;
    private const int MaxLine = 4 * 1024;
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    private enum State { Start, Head, Body, ChunkSize, ChunkData, ChunkTrailer, Passthrough }

    private State _state = State.Start;
    private byte[] _head = new byte[4096];
    private int _headLength;
    private long _remaining;

    /// <summary>True while a request's header block has begun but not ended: a connection that ends so sent
    /// something that was no HTTP request (skopeo tries TLS first on a registry it may reach over plain HTTP).</summary>
    public bool InHead => _state == State.Head;

    /// <summary>Why the stream is passed through unframed, or null while it is framed.</summary>
    public string? Unframed { get; private set; }

    /// <summary>True when <paramref name="next"/> is the first byte of a new request: the caller delays before it.
    /// Empty lines between requests are not requests (RFC 9112 section 2.2 lets a server ignore them).</summary>
    public bool StartsRequest(byte next) => _state == State.Start && next is not ((byte)'\r' or (byte)'\n');

    /// <summary>Consumes the start of <paramref name="data"/> up to the end of the current request (or all of it);
    /// returns how many bytes, at least one when <paramref name="data"/> is not empty.</summary>
    public int Consume(ReadOnlySpan<byte> data)
    {
        switch (_state)
        {
            case State.Start:
                if (data[0] is (byte)'\r' or (byte)'\n')
                {
                    return 1;
                }
                _state = State.Head;
                _headLength = 0;
                return ConsumeHead(data);
            case State.Head:
                return ConsumeHead(data);
            case State.Body:
            case State.ChunkData:
                var take = (int)Math.Min(_remaining, data.Length);
                _remaining -= take;
                if (_remaining == 0)
                {
                    _state = _state == State.Body ? State.Start : State.ChunkSize;
                    _headLength = 0;
                }
                return take;
            case State.ChunkSize:
            case State.ChunkTrailer:
                return ConsumeChunkLine(data);
            default:
                return data.Length;
        }
    }

    private int ConsumeHead(ReadOnlySpan<byte> data)
    {
        var end = FindHeadEnd(data);
        var part = end < 0 ? data : data[..end];
        if (!Append(part, MaxHead))
        {
            return Passthrough(data.Length, "request header block over 64 KiB");
        }
        if (end < 0)
        {
            return data.Length;
        }
        StartBody(_head.AsSpan(0, _headLength));
        return end;
    }

    /// <summary>The index just past the blank line ending the header block, or -1; the CRLFCRLF may straddle the
    /// bytes already held and these.</summary>
    private int FindHeadEnd(ReadOnlySpan<byte> data)
    {
        var held = Math.Min(_headLength, 3);
        if (held > 0)
        {
            Span<byte> seam = stackalloc byte[6];
            _head.AsSpan(_headLength - held, held).CopyTo(seam);
            var more = Math.Min(data.Length, 3);
            data[..more].CopyTo(seam[held..]);
            var at = seam[..(held + more)].IndexOf(HeadEnd);
            if (at >= 0)
            {
                return at + 4 - held;
            }
        }
        var found = data.IndexOf(HeadEnd);
        return found < 0 ? -1 : found + 4;
    }

    private void StartBody(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf((byte)'\n');
        var requestLine = head[..Math.Max(lineEnd, 0)];
        if (requestLine.StartsWith("CONNECT "u8))
        {
            Passthrough(0, "CONNECT request");
            return;
        }
        long? length = null;
        var chunked = false;
        var rest = head[(lineEnd + 1)..];
        while (!rest.IsEmpty)
        {
            var next = rest.IndexOf((byte)'\n');
            var line = next < 0 ? rest : rest[..next];
            rest = next < 0 ? [] : rest[(next + 1)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }
            var name = line[..colon];
            var value = line[(colon + 1)..];
            value = value[Ascii.Trim(value)];
            if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                // Chunked must be the final coding; a request with another final coding cannot be framed (RFC 9112 6.3).
                if (value.Length < 7 || !Ascii.EqualsIgnoreCase(value[^7..], "chunked"u8))
                {
                    Passthrough(0, "Transfer-Encoding without chunked last");
                    return;
                }
                chunked = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long n, out var used) || used != value.Length || n < 0)
                {
                    Passthrough(0, "bad Content-Length");
                    return;
                }
                length = n;
            }
            else if (Ascii.EqualsIgnoreCase(name, "upgrade"u8))
            {
                Passthrough(0, "Upgrade request");
                return;
            }
        }
        _headLength = 0;
        if (chunked)
        {
            _state = State.ChunkSize;
        }
        else if (length is > 0)
        {
            _state = State.Body;
            _remaining = length.Value;
        }
        else
        {
            _state = State.Start;
        }
    }

    /// <summary>A chunk-size line (hex size, optional extensions) or a trailer line; an empty trailer line ends the
    /// body.</summary>
    private int ConsumeChunkLine(ReadOnlySpan<byte> data)
    {
        var lf = data.IndexOf((byte)'\n');
        var part = lf < 0 ? data : data[..(lf + 1)];
        if (!Append(part, MaxLine))
        {
            return Passthrough(data.Length, "chunk line over 4 KiB");
        }
        if (lf < 0)
        {
            return data.Length;
        }
        var line = _head.AsSpan(0, _headLength).TrimEnd("\r\n"u8);
        _headLength = 0;
        if (_state == State.ChunkTrailer)
        {
            _state = line.IsEmpty ? State.Start : State.ChunkTrailer;
            return part.Length;
        }
        var semicolon = line.IndexOf((byte)';');
        var size = (semicolon < 0 ? line : line[..semicolon]).Trim(" \t"u8);
        if (!Utf8Parser.TryParse(size, out long n, out var used, 'x') || used != size.Length || n < 0)
        {
            return Passthrough(data.Length - part.Length, "bad chunk size") + part.Length;
        }
        if (n == 0)
        {
            _state = State.ChunkTrailer;
        }
        else
        {
            _state = State.ChunkData;
            _remaining = n + 2; // the data, then its CRLF
        }
        return part.Length;
    }

    private bool Append(ReadOnlySpan<byte> part, int max)
    {
        if (_headLength + part.Length > max)
        {
            return false;
        }
        if (_headLength + part.Length > _head.Length)
        {
            Array.Resize(ref _head, Math.Min(max, Math.Max(_head.Length * 2, _headLength + part.Length)));
        }
        part.CopyTo(_head.AsSpan(_headLength));
        _headLength += part.Length;
        return true;
    }

    private int Passthrough(int consumed, string why)
    {
        _state = State.Passthrough;
        Unframed = why;
        return consumed;
    }
}
