using System.Text;
using System.Text.Json;

namespace ImageSync.Verification;

/// <summary>
/// Checks that a log entry's canonicalized body is about this signature (the same digest, signature and key), so a
/// valid entry for another signature cannot vouch for this one (CVE-2022-36056, the conformance suite's
/// swapped-tlog-entry case). Reads Rekor's hashedrekord 0.0.1 and 0.0.2, intoto 0.0.2, dsse 0.0.1 and 0.0.2 kinds.
/// </summary>
internal static class LogEntryBody
{
    public static void Check(byte[] body, LoggedSignature signed, string declaredKind, string declaredVersion)
    {
        using var document = SignedJson.Parse(body, "the log entry's body");
        var root = document.RootElement;
        var kind = SignedJson.String(root, "kind") ?? "";
        var version = SignedJson.String(root, "apiVersion") ?? "";
        if (declaredKind.Length > 0 && (kind != declaredKind || version != declaredVersion))
        {
            throw Mismatch($"is {kind} {version} but the bundle says {declaredKind} {declaredVersion}");
        }
        var spec = SignedJson.Element(root, "spec") ?? throw Mismatch("has no spec");
        var ok = (kind, version) switch
        {
            ("hashedrekord", "0.0.1") =>
                Hex(SignedJson.String(spec, "data", "hash", "value"), signed.SignedSha256)
                && Same(SignedJson.String(spec, "signature", "content"), signed.Signature)
                && Key(Pem(SignedJson.String(spec, "signature", "publicKey", "content")), signed.Key),
            ("hashedrekord", "0.0.2") =>
                Same(SignedJson.String(spec, "hashedRekordV002", "data", "digest"), signed.SignedSha256)
                && Same(SignedJson.String(spec, "hashedRekordV002", "signature", "content"), signed.Signature)
                && Key(Raw(SignedJson.Element(spec, "hashedRekordV002", "signature", "verifier")), signed.Key),
            ("intoto", "0.0.2") =>
                signed.DssePayloadSha256 is { } payload
                && Hex(SignedJson.String(spec, "content", "payloadHash", "value"), payload)
                && AnySignature(SignedJson.Element(spec, "content", "envelope", "signatures"), s =>
                    Same(Decoded(SignedJson.String(s, "sig")), signed.Signature) && Key(Pem(Decoded(SignedJson.String(s, "publicKey"))), signed.Key)),
            ("dsse", "0.0.1") =>
                signed.DssePayloadSha256 is { } payload
                && Hex(SignedJson.String(spec, "payloadHash", "value"), payload)
                && AnySignature(SignedJson.Element(spec, "signatures"), s =>
                    Same(SignedJson.String(s, "signature"), signed.Signature) && Key(Pem(SignedJson.String(s, "verifier")), signed.Key)),
            // Rekor v2 (rekor-tiles): the payload's digest in base64, each signature's verifier a DER key or certificate.
            ("dsse", "0.0.2") =>
                signed.DssePayloadSha256 is { } payload
                && SignedJson.String(spec, "dsseV002", "payloadHash", "algorithm") == "SHA2_256"
                && Same(SignedJson.String(spec, "dsseV002", "payloadHash", "digest"), payload)
                && AnySignature(SignedJson.Element(spec, "dsseV002", "signatures"), s =>
                    Same(SignedJson.String(s, "content"), signed.Signature) && Key(Raw(SignedJson.Element(s, "verifier")), signed.Key)),
            _ => throw new SignatureRefusedException(RefusalKind.Malformed, $"the log entry is of kind {Output.Untrusted.Line(kind)} {Output.Untrusted.Line(version)}, which this verifier does not read"),
        };
        if (!ok)
        {
            throw Mismatch("records another digest, signature or key than the bundle's");
        }
    }

    private static SignatureRefusedException Mismatch(string what) => new(RefusalKind.BadSignature, $"the transparency log entry {what}");

    private static bool Hex(string? hex, byte[] expected) =>
        hex is not null && string.Equals(hex, Convert.ToHexStringLower(expected), StringComparison.OrdinalIgnoreCase);

    private static bool Same(string? base64, byte[] expected)
    {
        try
        {
            return base64 is not null && Convert.FromBase64String(base64).AsSpan().SequenceEqual(expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>intoto entries base64-encode the already base64 signature and key once more.</summary>
    private static string? Decoded(string? base64)
    {
        try
        {
            return base64 is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static VerificationKey? Pem(string? base64Pem)
    {
        try
        {
            var text = base64Pem is null ? null : base64Pem.StartsWith("-----", StringComparison.Ordinal) ? base64Pem : Encoding.UTF8.GetString(Convert.FromBase64String(base64Pem));
            return text is null ? null : VerificationKey.FromPem(text);
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>hashedrekord 0.0.2's verifier: a publicKey's DER SPKI or an x509Certificate's DER.</summary>
    private static VerificationKey? Raw(JsonElement? verifier)
    {
        try
        {
            if (verifier is not { } v)
            {
                return null;
            }
            if (SignedJson.String(v, "publicKey", "rawBytes") is { } spki)
            {
                return VerificationKey.FromSubjectPublicKeyInfo(Convert.FromBase64String(spki));
            }
            return SignedJson.String(v, "x509Certificate", "rawBytes") is { } der
                ? VerificationKey.FromCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(der)))
                : null;
        }
        catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static bool Key(VerificationKey? logged, VerificationKey signer) => logged is not null && logged.SameKeyAs(signer);

    private static bool AnySignature(JsonElement? signatures, Func<JsonElement, bool> matches) =>
        signatures is { ValueKind: JsonValueKind.Array } array && array.EnumerateArray().Any(matches);
}
