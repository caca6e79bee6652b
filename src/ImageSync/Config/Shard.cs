using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ImageSync.Config;

/// <summary>
/// Shard K of N (<c>--shard K/N</c>): the images whose name hashes to K. An image's shard depends only on its own
/// name and N, so adding or removing an image never moves another; the N shards together hold every image once.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public const int MaxCount = 256;

    public static bool TryParse(string text, out Shard? shard, out string error)
    {
        shard = null;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n is >= 1 and <= MaxCount && k >= 1 && k <= n)
        {
            shard = new Shard(k, n);
            error = "";
            return true;
        }
        error = $"\"{text}\" is not K/N with 1 <= K <= N <= {MaxCount} (e.g. 2/4)";
        return false;
    }

    public bool Contains(ImageSpec image) => Of(image.Name, Count) == Index;

    /// <summary>The shard (1-based) that an image name falls into among <paramref name="count"/>.</summary>
    public static int Of(string name, int count)
    {
        // SHA-256 rather than string.GetHashCode: the same on every machine, every run, every .NET version.
        var hash = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        return (int)(hash % (ulong)count) + 1;
    }

    public override string ToString() => $"{Index}/{Count}";
}
