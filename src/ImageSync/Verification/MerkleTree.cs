using System.Security.Cryptography;

namespace ImageSync.Verification;

/// <summary>RFC 6962 Merkle hashing as transparency logs use it, and inclusion proof verification (RFC 9162 2.1.3.2).</summary>
internal static class MerkleTree
{
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf) => SHA256.HashData([0x00, .. leaf]);

    private static byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>The root an inclusion proof leads to from a leaf hash; null when the proof's shape is impossible.</summary>
    public static byte[]? RootFromInclusionProof(long index, long size, byte[] leafHash, IReadOnlyList<byte[]> path)
    {
        if (index < 0 || size <= 0 || index >= size || path.Any(p => p.Length != 32))
        {
            return null;
        }
        var (fn, sn) = (index, size - 1);
        var r = leafHash;
        foreach (var p in path)
        {
            if (sn == 0)
            {
                return null;
            }
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 ? r : null;
    }
}
