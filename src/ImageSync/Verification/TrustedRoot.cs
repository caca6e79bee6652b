using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace ImageSync.Verification;

/// <summary>
/// sigstore's trusted root (protobuf-specs, sigstore_trustroot.proto, media type
/// application/vnd.dev.sigstore.trustedroot+json;version=0.1): the logs and CAs verification may trust. Always read
/// from a file in the repository (the one sigstore publishes through its TUF repository, or a private one), never
/// fetched at run time. Timestamp authorities (<c>timestampAuthorities</c>, the same shape as a CA) check RFC 3161
/// timestamps; CT logs (<c>ctlogs</c>) check the SCTs in Fulcio certificates.
/// </summary>
public sealed record TrustedRoot(IReadOnlyList<TransparencyLog> Logs, IReadOnlyList<CertificateAuthority> CertificateAuthorities, IReadOnlyList<CertificateAuthority>? Timestamping = null, IReadOnlyList<TransparencyLog>? CertificateTransparency = null)
{
    public IReadOnlyList<CertificateAuthority> TimestampAuthorities => Timestamping ?? [];

    public IReadOnlyList<TransparencyLog> CtLogs => CertificateTransparency ?? [];

    public static TrustedRoot Parse(byte[] json)
    {
        using var document = SignedJson.Parse(json, "the trusted root");
        var root = document.RootElement;
        var mediaType = SignedJson.String(root, "mediaType");
        if (mediaType is null || !mediaType.StartsWith("application/vnd.dev.sigstore.trustedroot", StringComparison.Ordinal))
        {
            throw new FormatException($"mediaType is {(mediaType is null ? "missing" : $"\"{Output.Untrusted.Line(mediaType)}\"")}, not a sigstore trusted root (application/vnd.dev.sigstore.trustedroot+json;version=0.1)");
        }
        var logs = Items(root, "tlogs").Select((log, i) =>
        {
            var key = SignedJson.Element(log, "publicKey") ?? throw new FormatException($"tlogs[{i}] has no publicKey");
            var raw = Bytes(SignedJson.String(key, "rawBytes"), $"tlogs[{i}].publicKey.rawBytes");
            var logId = Bytes(SignedJson.String(log, "logId", "keyId"), $"tlogs[{i}].logId.keyId");
            return new TransparencyLog(SignedJson.String(log, "baseUrl") ?? "", logId, VerificationKey.FromSubjectPublicKeyInfo(raw), Validity(key, $"tlogs[{i}].publicKey"));
        }).ToList();
        // A CT log key this verifier cannot read (staging's 2021 log is a bare PKCS#1 RSA key) is left out: its SCTs
        // then count for nothing, which can only refuse, never admit.
        var ctlogs = Items(root, "ctlogs").Select((log, i) =>
        {
            try
            {
                var key = SignedJson.Element(log, "publicKey") ?? throw new FormatException();
                return new TransparencyLog(SignedJson.String(log, "baseUrl") ?? "", Bytes(SignedJson.String(log, "logId", "keyId"), $"ctlogs[{i}].logId.keyId"),
                    VerificationKey.FromSubjectPublicKeyInfo(Bytes(SignedJson.String(key, "rawBytes"), $"ctlogs[{i}].publicKey.rawBytes")), Validity(key, $"ctlogs[{i}].publicKey"));
            }
            catch (Exception e) when (e is FormatException or System.Security.Cryptography.CryptographicException)
            {
                return null;
            }
        }).OfType<TransparencyLog>().ToList();
        return new TrustedRoot(logs, Authorities(root, "certificateAuthorities"), Authorities(root, "timestampAuthorities"), ctlogs);
    }

    private static List<CertificateAuthority> Authorities(JsonElement root, string name) => Items(root, name).Select((ca, i) =>
    {
        var chain = (SignedJson.Element(ca, "certChain", "certificates") is { ValueKind: JsonValueKind.Array } certs ? certs.EnumerateArray() : [])
            .Select((c, j) => X509CertificateLoader.LoadCertificate(Bytes(SignedJson.String(c, "rawBytes"), $"{name}[{i}].certChain.certificates[{j}]")))
            .ToList();
        if (chain.Count == 0)
        {
            throw new FormatException($"{name}[{i}] has no certificates");
        }
        return new CertificateAuthority(SignedJson.String(ca, "uri") ?? "", chain, Validity(ca, $"{name}[{i}]"));
    }).ToList();

    public TransparencyLog? FindLog(ReadOnlySpan<byte> logId)
    {
        foreach (var log in Logs)
        {
            if (log.LogId.AsSpan().SequenceEqual(logId) || log.NoteKeyId.AsSpan().SequenceEqual(logId))
            {
                return log;
            }
        }
        return null;
    }

    private static IEnumerable<JsonElement> Items(JsonElement root, string name) =>
        SignedJson.Element(root, name) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray()] : [];

    /// <summary>A validity without a start is refused: the conformance suite's trust-root-tlog-missing-validity-start_fail.</summary>
    private static ValidFor Validity(JsonElement owner, string path)
    {
        var start = SignedJson.String(owner, "validFor", "start") ?? throw new FormatException($"{path}.validFor.start is missing");
        var end = SignedJson.String(owner, "validFor", "end");
        return new ValidFor(Time(start, path), end is null ? null : Time(end, path));
    }

    private static DateTimeOffset Time(string text, string path) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : throw new FormatException($"{path}.validFor: \"{Output.Untrusted.Line(text)}\" is not a time");

    private static byte[] Bytes(string? base64, string path)
    {
        try
        {
            return Convert.FromBase64String(base64 ?? throw new FormatException());
        }
        catch (FormatException)
        {
            throw new FormatException($"{path} is missing or not base64");
        }
    }
}
