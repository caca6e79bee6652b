using System.Text.Json;

namespace ImageSync.Verification;

/// <summary>
/// An in-toto statement (in-toto attestation spec v1, <c>_type</c> https://in-toto.io/Statement/v1; cosign v2's
/// attestations still write v0.1): the subjects it speaks about, by digest. Any other <c>_type</c>, or none, is
/// refused rather than read as v1 (the conformance suite's dsse-statement-*-type_fail cases).
/// </summary>
public sealed record InTotoStatement(string PredicateType, IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Digests)> Subjects)
{
    public const string PayloadType = "application/vnd.in-toto+json";
    private static readonly string[] KnownTypes = ["https://in-toto.io/Statement/v1", "https://in-toto.io/Statement/v0.1"];

    public static InTotoStatement Parse(byte[] payload)
    {
        using var document = SignedJson.Parse(payload, "the in-toto statement");
        var root = document.RootElement;
        var type = SignedJson.String(root, "_type");
        if (type is null || !KnownTypes.Contains(type, StringComparer.Ordinal))
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, $"the signed statement's _type is {(type is null ? "missing" : $"\"{Output.Untrusted.Line(type)}\"")}, not an in-toto statement this verifier reads ({string.Join(", ", KnownTypes)})");
        }
        var subjects = new List<(string, IReadOnlyDictionary<string, string>)>();
        if (SignedJson.Element(root, "subject") is { ValueKind: JsonValueKind.Array } array)
        {
            foreach (var subject in array.EnumerateArray())
            {
                var digests = new Dictionary<string, string>(StringComparer.Ordinal);
                if (SignedJson.Element(subject, "digest") is { ValueKind: JsonValueKind.Object } d)
                {
                    foreach (var property in d.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
                    {
                        digests[property.Name] = property.Value.GetString()!;
                    }
                }
                subjects.Add((SignedJson.String(subject, "name") ?? "", digests));
            }
        }
        if (subjects.Count == 0)
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, "the signed statement has no subject");
        }
        return new InTotoStatement(SignedJson.String(root, "predicateType") ?? "", subjects);
    }

    /// <summary>Whether a subject has this SHA-256 (hex, any case, as the spec allows lowercase only but tools vary).</summary>
    public bool Names(string sha256Hex) =>
        Subjects.Any(s => s.Digests.TryGetValue("sha256", out var hex) && string.Equals(hex, sha256Hex, StringComparison.OrdinalIgnoreCase));
}
