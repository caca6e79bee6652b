using System.Security.Cryptography;

namespace ImageSync.References;

/// <summary>A content digest, <c>algorithm:hex</c>, as the OCI image spec defines it.</summary>
public readonly record struct Digest(string Algorithm, string Hex)
{
    public static bool TryParse(string? text, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty digest";
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"\"{text}\" is not a valid digest (want algorithm:hex)";
            return false;
        }
        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        int? length = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => null,
        };
        if (length is null)
        {
            error = $"\"{text}\" uses an unsupported digest algorithm \"{algorithm}\" (want sha256 or sha512)";
            return false;
        }
        if (hex.Length != length || !hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            error = $"\"{text}\" is not a valid {algorithm} digest (want {length} lowercase hex characters)";
            return false;
        }
        digest = new Digest(algorithm, hex);
        error = "";
        return true;
    }

    public static Digest Parse(string text) =>
        TryParse(text, out var digest, out var error) ? digest : throw new FormatException(error);

    public static Digest Sha256(ReadOnlySpan<byte> content) =>
        new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public override string ToString() => $"{Algorithm}:{Hex}";
}
