using System.Text;
using System.Text.Json;

namespace ImageSync.Verification;

/// <summary>
/// A DSSE envelope (secure-systems-lab/dsse, envelope.md and protocol.md): a payload, its type, and signatures
/// over the pre-authentication encoding PAE(type, payload), never over the payload alone.
/// </summary>
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, IReadOnlyList<byte[]> Signatures)
{
    /// <summary>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths as ASCII decimal of byte counts.</summary>
    public byte[] PreAuthenticationEncoding()
    {
        var type = Encoding.UTF8.GetBytes(PayloadType);
        var header = Encoding.ASCII.GetBytes(FormattableString.Invariant($"DSSEv1 {type.Length} ") );
        var middle = Encoding.ASCII.GetBytes(FormattableString.Invariant($" {Payload.Length} "));
        return [.. header, .. type, .. middle, .. Payload];
    }

    public static DsseEnvelope Read(JsonElement element)
    {
        var type = SignedJson.String(element, "payloadType") ?? throw new SignatureRefusedException(RefusalKind.Malformed, "the DSSE envelope has no payloadType");
        var payload = SignedJson.Base64(SignedJson.String(element, "payload"), "the DSSE envelope's payload");
        var signatures = new List<byte[]>();
        if (SignedJson.Element(element, "signatures") is { ValueKind: JsonValueKind.Array } array)
        {
            signatures.AddRange(array.EnumerateArray().Select(s => SignedJson.Base64(SignedJson.String(s, "sig"), "a DSSE signature")));
        }
        // sigstore's bundle allows exactly one signature in the envelope (protobuf-specs, sigstore_bundle.proto).
        if (signatures.Count != 1)
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, $"the DSSE envelope has {signatures.Count} signatures; a sigstore bundle carries exactly one");
        }
        return new DsseEnvelope(type, payload, signatures);
    }
}
