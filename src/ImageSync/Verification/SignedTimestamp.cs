using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace ImageSync.Verification;

/// <summary>
/// An RFC 3161 signed timestamp from a bundle (<c>verificationMaterial.timestampVerificationData.rfc3161Timestamps</c>),
/// checked as sigstore-go checks one (verify/tsa.go): the token is CMS SignedData (parsed by .NET's
/// <see cref="Rfc3161TimestampToken"/>), its message imprint is the hash of the signature bytes it vouches for, its
/// signature verifies with its signer's certificate, and that certificate chains, for time stamping, to a timestamp
/// authority of the trusted root (<c>timestampAuthorities</c>) valid at the token's time. The proven time is then
/// a time the signature existed at, as a log's signed entry timestamp is.
/// </summary>
internal static class SignedTimestamp
{
    private const string TimeStamping = "1.3.6.1.5.5.7.3.8";

    /// <summary>The token's time, or a refusal saying why it proves nothing.</summary>
    public static DateTimeOffset Verify(byte[] token, byte[] signature, TrustedRoot root)
    {
        var decoded = Decode(token);
        var time = decoded.TokenInfo.Timestamp;
        var candidates = new X509Certificate2Collection();
        foreach (var authority in root.TimestampAuthorities)
        {
            candidates.AddRange(authority.Chain.ToArray());
        }
        if (!decoded.VerifySignatureForData(signature, out var signer, candidates) || signer is null)
        {
            throw new SignatureRefusedException(RefusalKind.BadSignature, "an RFC 3161 timestamp does not verify for this signature (another imprint, or not signed by its certificate)");
        }
        if (root.TimestampAuthorities.Any(authority => authority.Issuer(signer, time, TimeStamping) is not null))
        {
            return time;
        }
        throw new SignatureRefusedException(RefusalKind.OtherSigner, $"an RFC 3161 timestamp of {time:u} is signed by {Output.Untrusted.Line(signer.Subject)}, which does not chain to a timestamp authority of the trusted root valid then");
    }

    /// <summary>
    /// Bundles hold the TSA's whole answer, a TimeStampResp (RFC 3161 section 2.4.2: PKIStatusInfo, then the
    /// token), as sigstore-go's timestamp.ParseResponse reads it; a bare TimeStampToken is taken too.
    /// </summary>
    private static Rfc3161TimestampToken Decode(byte[] encoded)
    {
        try
        {
            if (Rfc3161TimestampToken.TryDecode(encoded, out var bare, out var used) && used == encoded.Length)
            {
                return bare;
            }
            var response = new AsnReader(encoded, AsnEncodingRules.DER);
            var sequence = response.ReadSequence();
            response.ThrowIfNotEmpty();
            var status = sequence.ReadSequence().ReadInteger();
            // granted (0) or grantedWithMods (1): anything else carries no token worth reading.
            if (status > 1)
            {
                throw new SignatureRefusedException(RefusalKind.Malformed, $"an RFC 3161 timestamp response has status {status}, not granted");
            }
            var token = sequence.ReadEncodedValue().ToArray();
            sequence.ThrowIfNotEmpty();
            if (Rfc3161TimestampToken.TryDecode(token, out var decoded, out var consumed) && consumed == token.Length)
            {
                return decoded;
            }
        }
        catch (AsnContentException)
        {
        }
        throw new SignatureRefusedException(RefusalKind.Malformed, "an RFC 3161 timestamp is neither a DER TimeStampResp nor a TimeStampToken");
    }
}
