using System.Numerics;
using System.Security.Cryptography;

namespace ImageSync.Verification;

/// <summary>
/// Ed25519 signature verification as RFC 8032 section 5.1.7 defines it. .NET 10 has no Ed25519 (its new algorithms
/// are ML-DSA, SLH-DSA and ML-KEM), and no sigstore package is available, so this is the RFC's arithmetic written
/// out: extended twisted Edwards coordinates (section 5.1.4), point decoding (5.1.3), and the cofactorless check
/// [S]B = R + [k]A. Verifying handles public data only. Signing (5.1.6, for the mirror's own signature) uses the
/// same arithmetic, which is not constant-time: acceptable for a batch run on a CI machine, where no one times it,
/// and said in docs/RELIABILITY.md; ECDSA P-256 (.NET's own) is the key to prefer.
/// </summary>
internal static class Ed25519
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger L = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger D = Mod(-121665 * Inverse(121666));
    private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);

    // The base point's encoding (RFC 8032 5.1: y = 4/5, x positive): 0x58 then 31 bytes of 0x66.
    private static readonly Point BasePoint = Decode([0x58, .. Enumerable.Repeat((byte)0x66, 31)])!.Value;

    private readonly record struct Point(BigInteger X, BigInteger Y, BigInteger Z, BigInteger T);

    /// <summary>Whether <paramref name="signature"/> (64 bytes) is <paramref name="publicKey"/>'s (32 bytes) over <paramref name="message"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != 32 || signature.Length != 64)
        {
            return false;
        }
        if (Decode(publicKey) is not { } a || Decode(signature[..32]) is not { } r)
        {
            return false;
        }
        var s = new BigInteger(signature[32..], isUnsigned: true, isBigEndian: false);
        if (s >= L)
        {
            return false;
        }
        var digest = SHA512.HashData([.. signature[..32], .. publicKey, .. message]);
        var k = new BigInteger(digest, isUnsigned: true, isBigEndian: false) % L;
        return SameAs(Multiply(BasePoint, s), Add(r, Multiply(a, k)));
    }

    /// <summary>The 32-byte public key of a 32-byte private key (seed), RFC 8032 5.1.5.</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> seed) => Encode(Multiply(BasePoint, SecretScalar(SHA512.HashData(seed))));

    /// <summary>The 64-byte signature of <paramref name="message"/> by the private key <paramref name="seed"/>, RFC 8032 5.1.6.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message)
    {
        if (seed.Length != 32)
        {
            throw new ArgumentException("an Ed25519 private key is 32 bytes", nameof(seed));
        }
        var h = SHA512.HashData(seed);
        var a = SecretScalar(h);
        var publicKey = Encode(Multiply(BasePoint, a));
        var r = new BigInteger(SHA512.HashData([.. h.AsSpan(32), .. message]), isUnsigned: true, isBigEndian: false) % L;
        var encodedR = Encode(Multiply(BasePoint, r));
        var k = new BigInteger(SHA512.HashData([.. encodedR, .. publicKey, .. message]), isUnsigned: true, isBigEndian: false) % L;
        var s = (r + k * a) % L;
        var signature = new byte[64];
        encodedR.CopyTo(signature, 0);
        s.TryWriteBytes(signature.AsSpan(32), out _, isUnsigned: true, isBigEndian: false);
        return signature;
    }

    /// <summary>The first half of the seed's SHA-512, clamped (RFC 8032 5.1.5 step 2).</summary>
    private static BigInteger SecretScalar(byte[] h)
    {
        var scalar = h[..32];
        scalar[0] &= 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
        return new BigInteger(scalar, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>y little-endian with x's low bit in the top bit (RFC 8032 5.1.2).</summary>
    private static byte[] Encode(Point p)
    {
        var zInverse = Inverse(p.Z);
        var x = Mod(p.X * zInverse);
        var y = Mod(p.Y * zInverse);
        var encoded = new byte[32];
        y.TryWriteBytes(encoded, out _, isUnsigned: true, isBigEndian: false);
        encoded[31] |= (byte)((int)(x & 1) << 7);
        return encoded;
    }

    private static Point? Decode(ReadOnlySpan<byte> encoded)
    {
        var bytes = encoded.ToArray();
        var sign = bytes[31] >> 7;
        bytes[31] &= 0x7f;
        var y = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
        if (y >= P)
        {
            return null;
        }
        var u = Mod(y * y - 1);
        var v = Mod(D * y * y + 1);
        // x = u v^3 (u v^7)^((p-5)/8), then fix up by sqrt(-1) (RFC 8032 5.1.3 step 3).
        var x = Mod(u * BigInteger.ModPow(v, 3, P) * BigInteger.ModPow(Mod(u * BigInteger.ModPow(v, 7, P)), (P - 5) / 8, P));
        var vx2 = Mod(v * x * x);
        if (vx2 != u)
        {
            if (vx2 != Mod(-u))
            {
                return null;
            }
            x = Mod(x * SqrtMinusOne);
        }
        if (x.IsZero && sign == 1)
        {
            return null;
        }
        if ((int)(x & 1) != sign)
        {
            x = P - x;
        }
        return new Point(x, y, 1, Mod(x * y));
    }

    private static Point Add(Point p, Point q)
    {
        var a = Mod((p.Y - p.X) * (q.Y - q.X));
        var b = Mod((p.Y + p.X) * (q.Y + q.X));
        var c = Mod(p.T * 2 * D * q.T);
        var d = Mod(p.Z * 2 * q.Z);
        var (e, f, g, h) = (Mod(b - a), Mod(d - c), Mod(d + c), Mod(b + a));
        return new Point(Mod(e * f), Mod(g * h), Mod(f * g), Mod(e * h));
    }

    private static Point Multiply(Point p, BigInteger scalar)
    {
        var result = new Point(0, 1, 1, 0);
        for (var i = (int)scalar.GetBitLength() - 1; i >= 0; i--)
        {
            result = Add(result, result);
            if (!(scalar >> i & 1).IsZero)
            {
                result = Add(result, p);
            }
        }
        return result;
    }

    /// <summary>Projective equality: X1/Z1 = X2/Z2 and Y1/Z1 = Y2/Z2.</summary>
    private static bool SameAs(Point p, Point q) =>
        Mod(p.X * q.Z - q.X * p.Z).IsZero && Mod(p.Y * q.Z - q.Y * p.Z).IsZero;

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }

    private static BigInteger Inverse(BigInteger value) => BigInteger.ModPow(value, P - 2, P);
}
