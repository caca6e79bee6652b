using System.Buffers.Text;
using System.Formats.Tar;
using System.Text;
using ImageSync.Errors;

namespace ImageSync.Upstream;

/// <summary>
/// Reads a tar stream header by header (ustar, PAX and GNU long names, as git archive writes them), with every bound
/// of <see cref="ArchiveLimits"/> checked against a header's size field before the bytes it announces are read or
/// held. Not <see cref="TarReader"/>: it reads PAX and long-name records whole, allocating what their size field
/// claims before a caller can look (measured: a 5 MB gzip made it allocate 1.5 GiB for one 512 MiB path, and with a
/// capping stream under it, it still allocated an array for a 1.9 GiB claim).
/// </summary>
public sealed class TarArchiveReader(Stream archive, ArchiveLimits limits, string where)
{
    private const int Block = 512;
    private readonly byte[] _header = new byte[Block];
    private readonly byte[] _scratch = new byte[64 * 1024];
    private long _unpacked;
    private int _entries;
    private long _dataLeft;
    private long _padding;

    public long UnpackedBytes => _unpacked;

    /// <summary>The next entry (metadata records applied), or null at the end of the archive. What was left of the previous entry's data is passed over.</summary>
    public async Task<ArchiveEntry?> NextAsync(CancellationToken cancellationToken)
    {
        await SkipAsync(_dataLeft + _padding, cancellationToken).ConfigureAwait(false);
        _dataLeft = _padding = 0;
        string? paxPath = null, longName = null;
        long? paxSize = null;
        while (await ReadHeaderAsync(cancellationToken).ConfigureAwait(false))
        {
            var type = (TarEntryType)_header[156];
            var size = SizeField();
            switch (type)
            {
                case TarEntryType.ExtendedAttributes:
                    (paxPath, paxSize) = ParsePax(await ReadRecordAsync(size, "PAX header", cancellationToken).ConfigureAwait(false), paxPath, paxSize);
                    continue;
                case TarEntryType.LongPath:
                    longName = UntilNul(await ReadRecordAsync(size, "long name", cancellationToken).ConfigureAwait(false));
                    continue;
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.LongLink:
                    // git archive's global header holds the commit id; a long link names a link's target. Neither is read.
                    await ReadRecordAsync(size, type == TarEntryType.LongLink ? "long link name" : "global PAX header", cancellationToken).ConfigureAwait(false);
                    continue;
            }
            if (++_entries > limits.MaxEntries)
            {
                throw Refused($"holds more than {limits.MaxEntries} entries");
            }
            // Links, devices, folders and FIFOs have no data, whatever their size field says (POSIX pax, ustar).
            var length = type is TarEntryType.HardLink or TarEntryType.SymbolicLink or TarEntryType.CharacterDevice
                or TarEntryType.BlockDevice or TarEntryType.Directory or TarEntryType.Fifo ? 0 : paxSize ?? size;
            if (length > limits.MaxEntryBytes)
            {
                throw Refused($"holds an entry of {length} bytes, more than the {limits.MaxEntryBytes / 1024 / 1024} MiB imagesync reads of one (GitHub stores no file larger than 100 MiB)");
            }
            Account(length + Padding(length));
            _dataLeft = length;
            _padding = Padding(length);
            return new ArchiveEntry(paxPath ?? longName ?? HeaderName(), type, length);
        }
        return null;
    }

    /// <summary>The current entry's data, whole (the caller has checked its size).</summary>
    public async Task<byte[]> ReadDataAsync(CancellationToken cancellationToken)
    {
        var data = new byte[_dataLeft];
        await ReadExactlyAsync(data, cancellationToken).ConfigureAwait(false);
        _dataLeft = 0;
        return data;
    }

    private async Task<bool> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        Account(Block);
        var read = await archive.ReadAtLeastAsync(_header, Block, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0 || _header.All(b => b == 0))
        {
            // The end: a zero block (git archive writes two), or the stream's end at a header boundary.
            return false;
        }
        if (read < Block)
        {
            throw Refused("ends in the middle of a header");
        }
        var sum = 0;
        for (var i = 0; i < Block; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : _header[i];
        }
        if (!TryOctal(_header.AsSpan(148, 8), out var stored) || stored != sum)
        {
            throw Refused("is not a tar archive (a header's checksum does not match)");
        }
        return true;
    }

    /// <summary>A metadata record, bounded before it is read.</summary>
    private async Task<byte[]> ReadRecordAsync(long size, string what, CancellationToken cancellationToken)
    {
        if (size > limits.MaxHeaderRecordBytes)
        {
            throw Refused($"holds a {what} record of {size} bytes, more than the {limits.MaxHeaderRecordBytes / 1024} KiB imagesync reads of one");
        }
        Account(size + Padding(size));
        var record = new byte[size];
        await ReadExactlyAsync(record, cancellationToken).ConfigureAwait(false);
        await SkipAsync(Padding(size), cancellationToken).ConfigureAwait(false);
        return record;
    }

    /// <summary>Reads past bytes already counted (<see cref="Account"/> runs when a header announces them).</summary>
    private async Task SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var chunk = _scratch.AsMemory(0, (int)Math.Min(count, _scratch.Length));
            await ReadExactlyAsync(chunk, cancellationToken).ConfigureAwait(false);
            count -= chunk.Length;
        }
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await archive.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw Refused("ends in the middle of an entry");
        }
    }

    /// <summary>Counts bytes before they are read, so the total is refused before it is exceeded.</summary>
    private void Account(long bytes)
    {
        _unpacked += bytes;
        if (_unpacked > limits.MaxUnpackedBytes)
        {
            throw Refused($"unpacks to more than the {limits.MaxUnpackedBytes / 1024 / 1024} MiB imagesync reads of one");
        }
    }

    private static long Padding(long size) => (Block - (size % Block)) % Block;

    /// <summary>Octal digits, or GNU's base-256 (high bit set) for sizes of 8 GiB and more.</summary>
    private long SizeField()
    {
        var field = _header.AsSpan(124, 12);
        if ((field[0] & 0x80) != 0)
        {
            if (field[0] == 0xFF || field[1..4].ContainsAnyExcept((byte)0))
            {
                throw Refused("holds an entry whose size does not fit 64 bits");
            }
            long value = 0;
            foreach (var b in field[4..])
            {
                value = (value << 8) | b;
            }
            return value < 0 ? throw Refused("holds an entry whose size does not fit 64 bits") : value;
        }
        return TryOctal(field, out var size) ? size : throw Refused("holds a header whose size is not a number");
    }

    private static bool TryOctal(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        var text = field.Trim((byte)' ');
        var end = text.IndexOfAny((byte)0, (byte)' ');
        text = end < 0 ? text : text[..end];
        if (text.Length is 0 or > 21)
        {
            return false;
        }
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'7')
            {
                return false;
            }
            value = (value * 8) + (b - '0');
        }
        return true;
    }

    private string HeaderName()
    {
        var name = UntilNul(_header.AsSpan(0, 100));
        // POSIX ustar ("ustar\0") splits long names into prefix and name; GNU's magic ("ustar ") has no prefix.
        var prefix = _header.AsSpan(257, 6).SequenceEqual("ustar\0"u8) ? UntilNul(_header.AsSpan(345, 155)) : "";
        return prefix.Length > 0 ? $"{prefix}/{name}" : name;
    }

    private static string UntilNul(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>PAX records, "LENGTH key=value\n" each; only path and size matter here.</summary>
    private (string? Path, long? Size) ParsePax(byte[] records, string? path, long? size)
    {
        var rest = records.AsSpan();
        while (rest.Length > 0)
        {
            var space = rest.IndexOf((byte)' ');
            if (space <= 0 || !Utf8Parser.TryParse(rest[..space], out int length, out var used) || used != space || length <= space + 1 || length > rest.Length || rest[length - 1] != (byte)'\n')
            {
                throw Refused("holds a PAX header that is not well formed");
            }
            var record = rest[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw Refused("holds a PAX header that is not well formed");
            }
            var key = record[..equals];
            var value = record[(equals + 1)..];
            if (key.SequenceEqual("path"u8))
            {
                path = Encoding.UTF8.GetString(value);
            }
            else if (key.SequenceEqual("size"u8))
            {
                size = Utf8Parser.TryParse(value, out long parsed, out var digits) && digits == value.Length && parsed >= 0 ? parsed : throw Refused("holds a PAX size that is not a number");
            }
            rest = rest[length..];
        }
        return (path, size);
    }

    private ImageSyncException Refused(string why) => new($"{where}: the archive from GitHub {why}; refused");
}
