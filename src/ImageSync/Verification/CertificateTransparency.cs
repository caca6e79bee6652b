using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImageSync.Verification;

/// <summary>
/// The signed certificate timestamps Fulcio embeds in its certificates (extension 1.3.6.1.4.1.11129.2.4.2, RFC 6962
/// section 3.3), checked against the trusted root's <c>ctlogs</c>: an SCT is a CT log's promise to log the
/// precertificate, and sigstore clients want one (sigstore-go's default threshold) so that a certificate a CA issued
/// in secret is refused. Each SCT's signature is over RFC 6962 section 3.2's digitally-signed struct for a
/// precert_entry: the issuer's key hash and the leaf's TBSCertificate without the SCT extension.
/// </summary>
internal static class CertificateTransparency
{
    private const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    /// <summary>Passes when one SCT verifies with a CT log of the root; a root naming no CT log asks for none.</summary>
    public static void Check(X509Certificate2 leaf, X509Certificate2 issuer, TrustedRoot root)
    {
        if (root.CtLogs.Count == 0)
        {
            return;
        }
        if (leaf.Extensions[SctListOid] is not { } extension)
        {
            throw new SignatureRefusedException(RefusalKind.BadSignature, "the signing certificate carries no signed certificate timestamp (SCT), which the trusted root's CT logs require");
        }
        var tbs = PrecertificateTbs(leaf.RawData);
        var issuerKeyHash = SHA256.HashData(issuer.PublicKey.ExportSubjectPublicKeyInfo());
        foreach (var sct in Scts(extension.RawData))
        {
            if (sct.Version != 0 || root.CtLogs.FirstOrDefault(l => l.LogId.AsSpan().SequenceEqual(sct.LogId)) is not { } log)
            {
                continue;
            }
            var signed = new byte[1 + 1 + 8 + 2 + 32 + 3 + tbs.Length + 2 + sct.Extensions.Length];
            var span = signed.AsSpan();
            span[0] = 0; // sct_version v1
            span[1] = 0; // signature_type certificate_timestamp
            BinaryPrimitives.WriteUInt64BigEndian(span[2..], sct.Timestamp);
            BinaryPrimitives.WriteUInt16BigEndian(span[10..], 1); // entry_type precert_entry
            issuerKeyHash.CopyTo(span[12..]);
            span[44] = (byte)(tbs.Length >> 16);
            span[45] = (byte)(tbs.Length >> 8);
            span[46] = (byte)tbs.Length;
            tbs.CopyTo(span[47..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[(47 + tbs.Length)..], (ushort)sct.Extensions.Length);
            sct.Extensions.CopyTo(span[(49 + tbs.Length)..]);
            var at = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(sct.Timestamp, (ulong)long.MaxValue / 2));
            if (log.ValidFor.Contains(at) && log.Key.Verify(signed, sct.Signature))
            {
                return;
            }
        }
        throw new SignatureRefusedException(RefusalKind.BadSignature, "no signed certificate timestamp in the signing certificate verifies with a CT log of the trusted root");
    }

    private sealed record Sct(byte Version, byte[] LogId, ulong Timestamp, byte[] Extensions, byte[] Signature);

    /// <summary>The extension's SignedCertificateTimestampList (TLS encoding inside a DER OCTET STRING); a malformed one yields what it holds up to the fault.</summary>
    private static List<Sct> Scts(byte[] extensionValue)
    {
        var result = new List<Sct>();
        byte[] list;
        try
        {
            list = new AsnReader(extensionValue, AsnEncodingRules.DER).ReadOctetString();
        }
        catch (AsnContentException)
        {
            return result;
        }
        var data = list.AsSpan();
        if (data.Length < 2 || BinaryPrimitives.ReadUInt16BigEndian(data) != data.Length - 2)
        {
            return result;
        }
        data = data[2..];
        while (data.Length >= 2 && result.Count < 16)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(data);
            if (length > data.Length - 2)
            {
                break;
            }
            var sct = data.Slice(2, length);
            data = data[(2 + length)..];
            // version(1) log_id(32) timestamp(8) extensions(2+n) hash(1) signature algorithm(1) signature(2+n)
            if (sct.Length < 47)
            {
                continue;
            }
            var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(sct[41..]);
            if (sct.Length < 43 + extensionsLength + 4)
            {
                continue;
            }
            var rest = sct[(43 + extensionsLength)..];
            var signatureLength = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
            if (rest.Length != 4 + signatureLength)
            {
                continue;
            }
            result.Add(new Sct(sct[0], sct.Slice(1, 32).ToArray(), BinaryPrimitives.ReadUInt64BigEndian(sct[33..]), sct.Slice(43, extensionsLength).ToArray(), rest[4..].ToArray()));
        }
        return result;
    }

    /// <summary>The leaf's TBSCertificate re-encoded without the SCT list extension: what the CT log signed (RFC 6962 section 3.2).</summary>
    private static byte[] PrecertificateTbs(byte[] certificate)
    {
        var tbs = new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        var writer = new AsnWriter(AsnEncodingRules.DER);
        var extensionsTag = new Asn1Tag(TagClass.ContextSpecific, 3, isConstructed: true);
        using (writer.PushSequence())
        {
            while (tbs.HasData)
            {
                if (tbs.PeekTag() != extensionsTag)
                {
                    writer.WriteEncodedValue(tbs.ReadEncodedValue().Span);
                    continue;
                }
                var extensions = tbs.ReadSequence(extensionsTag).ReadSequence();
                using (writer.PushSequence(extensionsTag))
                using (writer.PushSequence())
                {
                    while (extensions.HasData)
                    {
                        var extension = extensions.ReadEncodedValue();
                        if (new AsnReader(extension, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier() != SctListOid)
                        {
                            writer.WriteEncodedValue(extension.Span);
                        }
                    }
                }
            }
        }
        return writer.Encode();
    }
}
