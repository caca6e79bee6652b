using System.Security.Cryptography;
using ImageSync.Verification;

namespace ImageSync.Tests.Verification;

/// <summary>
/// Inclusion proofs for every leaf of trees of every size up to 17, made by RFC 6962 section 2.1's recursive
/// definitions (MTH and PATH) written out here, independently of the verifier's iterative RFC 9162 algorithm.
/// </summary>
public sealed class MerkleTreeTests
{
    private static byte[] Hash(byte prefix, params byte[][] parts) => SHA256.HashData([prefix, .. parts.SelectMany(p => p)]);

    private static int SplitPoint(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }
        return k;
    }

    private static byte[] Mth(byte[][] leaves) => leaves.Length == 1 ? Hash(0, leaves[0])
        : Hash(1, Mth(leaves[..SplitPoint(leaves.Length)]), Mth(leaves[SplitPoint(leaves.Length)..]));

    private static List<byte[]> Path(int m, byte[][] leaves)
    {
        if (leaves.Length == 1)
        {
            return [];
        }
        var k = SplitPoint(leaves.Length);
        return m < k ? [.. Path(m, leaves[..k]), Mth(leaves[k..])] : [.. Path(m - k, leaves[k..]), Mth(leaves[..k])];
    }

    [Fact]
    public void Every_leaf_of_every_small_tree_proves_its_root_and_no_other()
    {
        for (var size = 1; size <= 17; size++)
        {
            var leaves = Enumerable.Range(0, size).Select(i => new[] { (byte)i, (byte)size }).ToArray();
            var root = Mth(leaves);
            for (var index = 0; index < size; index++)
            {
                var proof = Path(index, leaves);
                Assert.Equal(root, MerkleTree.RootFromInclusionProof(index, size, MerkleTree.LeafHash(leaves[index]), proof));
                if (size > 1)
                {
                    Assert.NotEqual(root, MerkleTree.RootFromInclusionProof(index, size, MerkleTree.LeafHash([0xff]), proof));
                    Assert.NotEqual(root, MerkleTree.RootFromInclusionProof((index + 1) % size, size, MerkleTree.LeafHash(leaves[index]), proof));
                }
            }
        }
    }

    [Fact]
    public void An_impossible_proof_shape_has_no_root()
    {
        var leaf = MerkleTree.LeafHash([1]);
        Assert.Null(MerkleTree.RootFromInclusionProof(1, 1, leaf, []));
        Assert.Null(MerkleTree.RootFromInclusionProof(0, 1, leaf, [new byte[32]]));
        Assert.Null(MerkleTree.RootFromInclusionProof(0, 4, leaf, [new byte[32]]));
        Assert.Null(MerkleTree.RootFromInclusionProof(-1, 4, leaf, []));
    }
}
