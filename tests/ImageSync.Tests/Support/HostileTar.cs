using System.IO.Compression;
using System.Text;

namespace ImageSync.Tests.Support;

/// <summary>
/// Tar archives built block by block, so that a test can write what no well-behaved writer would: any name, any
/// type flag, a size field that lies, a PAX or long-name record of any length. Each header is ustar with a valid
/// checksum; <see cref="Gzip"/> compresses as GitHub serves it.
/// </summary>
internal static class HostileTar
{
    public const int Block = 512;

    public static byte[] Header(string name, char type, long size)
    {
        var header = new byte[Block];
        Encoding.UTF8.GetBytes(name.Length > 100 ? name[..100] : name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0" + "0000000\0" + "0000000\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("14000000000\0").CopyTo(header, 136);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
        var sum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }

    public static byte[] Padding(long size) => new byte[(Block - (size % Block)) % Block];

    /// <summary>A regular file (or, with another type, any entry) and its data.</summary>
    public static byte[] File(string name, string content, char type = '0')
    {
        var data = Encoding.UTF8.GetBytes(content);
        return [.. Header(name, type, data.Length), .. data, .. Padding(data.Length)];
    }

    public static byte[] Folder(string name) => Header(name, '5', 0);

    /// <summary>One PAX record ("LENGTH key=value\n", the length counting itself) in an 'x' header.</summary>
    public static byte[] Pax(string key, string value)
    {
        var body = $" {key}={value}\n";
        var length = body.Length + 1;
        while ((length.ToString(System.Globalization.CultureInfo.InvariantCulture) + body).Length != length)
        {
            length++;
        }
        var record = Encoding.UTF8.GetBytes(length.ToString(System.Globalization.CultureInfo.InvariantCulture) + body);
        return [.. Header("PaxHeaders/x", 'x', record.Length), .. record, .. Padding(record.Length)];
    }

    public static byte[] End() => new byte[2 * Block];

    public static byte[] Gzip(params byte[][] parts)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            foreach (var part in parts)
            {
                gzip.Write(part);
            }
        }
        return output.ToArray();
    }

    /// <summary>Writes the parts as one gzip member each: a stream of many members is one gzip file to a reader.</summary>
    public static async Task WriteMembersAsync(Stream output, IEnumerable<byte[]> members, CancellationToken cancellationToken)
    {
        foreach (var member in members)
        {
            await output.WriteAsync(member, cancellationToken);
        }
    }
}
