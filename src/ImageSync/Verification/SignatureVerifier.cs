using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageSync.References;

namespace ImageSync.Verification;

/// <summary>
/// Decides whether one signature lets a digest through under a <see cref="SignaturePolicy"/>, in the order that
/// keeps every claim trusted before it is read: the signer (the policy's key, or a certificate), the signature over
/// the exact bytes, then what the signed payload names, then the log's proof and, keyless, the certificate's chain
/// and identity at the proven time. Every refusal is one line.
/// </summary>
public sealed class SignatureVerifier(SignaturePolicy policy)
{
    /// <summary>A cosign tag-scheme signature (one layer of the <c>.sig</c> manifest) for the image <paramref name="expected"/>.</summary>
    public Verdict Verify(CosignSignature signature, Digest expected, string upstreamRepository) => Guard(() =>
    {
        var key = Signer(signature.Certificate);
        if (!key.Verify(signature.Payload, signature.Signature))
        {
            throw NotVerified(certificate: signature.Certificate);
        }
        var payload = SimpleSigningPayload.Parse(signature.Payload);
        if (payload.ManifestDigest != expected)
        {
            throw new SignatureRefusedException(RefusalKind.OtherSubject, $"the signature is valid but for {payload.ManifestDigest}, not {expected}");
        }
        if (policy.MatchRepository && !SameRepository(payload.DockerReference, upstreamRepository))
        {
            throw new SignatureRefusedException(RefusalKind.OtherSubject, $"the signature is valid but for repository {Output.Untrusted.Line(payload.DockerReference ?? "(none)")}, not {upstreamRepository}");
        }
        var signed = new LoggedSignature(SHA256.HashData(signature.Payload), signature.Signature, null, key);
        CheckLogAndIdentity(signed, signature.LogEntry is null ? [] : [signature.LogEntry], signature.Certificate);
        return Verdict.Pass($"signed by {policy.Description}");
    });

    /// <summary>A sigstore bundle about the artifact whose SHA-256 is <paramref name="expected"/> (an image manifest, or a file).</summary>
    public Verdict Verify(SigstoreBundle bundle, Digest expected) => Guard(() =>
    {
        var key = Signer(bundle.Certificate);
        LoggedSignature signed;
        if (bundle.MessageSignature is var (algorithm, digest, signature))
        {
            if (algorithm != "SHA2_256" || expected.Algorithm != "sha256")
            {
                throw new SignatureRefusedException(RefusalKind.Malformed, $"the message digest algorithm {Output.Untrusted.Line(algorithm)} is not SHA2_256");
            }
            if (key.IsEd25519 || !key.VerifyDigest(digest, signature))
            {
                throw NotVerified(bundle.KeyHint, bundle.Certificate);
            }
            if (Convert.ToHexStringLower(digest) != expected.Hex)
            {
                throw new SignatureRefusedException(RefusalKind.OtherSubject, $"the signature is valid but for sha256:{Convert.ToHexStringLower(digest)}, not {expected}");
            }
            signed = new LoggedSignature(digest, signature, null, key);
        }
        else
        {
            var envelope = bundle.Envelope!;
            var pae = envelope.PreAuthenticationEncoding();
            if (!key.Verify(pae, envelope.Signatures[0]))
            {
                throw NotVerified(bundle.KeyHint, bundle.Certificate);
            }
            if (envelope.PayloadType != InTotoStatement.PayloadType)
            {
                throw new SignatureRefusedException(RefusalKind.Malformed, $"the DSSE payload type {Output.Untrusted.Line(envelope.PayloadType)} is not an in-toto statement");
            }
            if (!InTotoStatement.Parse(envelope.Payload).Names(expected.Hex))
            {
                throw new SignatureRefusedException(RefusalKind.OtherSubject, $"the signed statement is valid but none of its subjects is {expected}");
            }
            signed = new LoggedSignature(SHA256.HashData(pae), envelope.Signatures[0], SHA256.HashData(envelope.Payload), key);
        }
        CheckLogAndIdentity(signed, bundle.LogEntries, bundle.Certificate, bundle.Timestamps);
        return Verdict.Pass($"signed by {policy.Description} (sigstore bundle)");
    });

    private VerificationKey Signer(X509Certificate2? certificate)
    {
        if (policy.Key is { } key)
        {
            return key;
        }
        if (certificate is null)
        {
            throw new SignatureRefusedException(RefusalKind.OtherSigner, $"signed with a key, not a certificate; the policy wants {policy.Description}");
        }
        return VerificationKey.FromCertificate(certificate);
    }

    /// <summary>
    /// A signature that does not verify. A bundle's key hint (SHA-256 of the signer's key, advisory) or a certificate
    /// where the policy wants a key tells "another signer" from "altered"; a bare cosign signature cannot tell them apart.
    /// </summary>
    private SignatureRefusedException NotVerified(string? hint = null, X509Certificate2? certificate = null)
    {
        if (policy.IsKeyless)
        {
            return new(RefusalKind.BadSignature, "the signature does not verify with its certificate's key (altered after signing)");
        }
        if (certificate is not null)
        {
            return new(RefusalKind.OtherSigner, $"signed by a certificate for {Output.Untrusted.Line(FulcioCertificate.Identity(certificate).Identity ?? "(no identity)")}, not by {policy.Description}");
        }
        if (hint is not null && hint != Convert.ToBase64String(policy.Key!.KeyId))
        {
            return new(RefusalKind.OtherSigner, $"signed by another key (key hint {Output.Untrusted.Line(hint)}), not by {policy.Description}");
        }
        return new(RefusalKind.BadSignature, $"the signature does not verify with {policy.Description} (signed by another key, or altered after signing)");
    }

    /// <param name="timestamps">RFC 3161 timestamps over the signature: keyless, each that verifies is a time the
    /// certificate must have been valid at (sigstore-go's rule); one that does not verify proves nothing and is passed over.</param>
    private void CheckLogAndIdentity(LoggedSignature signed, IReadOnlyList<TransparencyLogEntry> entries, X509Certificate2? certificate, IReadOnlyList<byte[]>? timestamps = null)
    {
        if (policy.TrustedRoot is not { } root)
        {
            return;
        }
        if (entries.Count == 0)
        {
            throw new SignatureRefusedException(RefusalKind.BadSignature, "the signature is not in a transparency log (no log entry), which the trusted root requires");
        }
        DateTimeOffset? time = null;
        SignatureRefusedException? first = null;
        foreach (var entry in entries)
        {
            try
            {
                time = TransparencyLogVerifier.Verify(entry, signed, root) ?? time;
                first = null;
                break;
            }
            catch (SignatureRefusedException e)
            {
                first ??= e;
            }
        }
        if (first is not null)
        {
            throw first;
        }
        if (!policy.IsKeyless)
        {
            return;
        }
        var times = time is { } logged ? new List<DateTimeOffset> { logged } : [];
        SignatureRefusedException? unproven = null;
        foreach (var token in timestamps ?? [])
        {
            try
            {
                times.Add(SignedTimestamp.Verify(token, signed.Signature, root));
            }
            catch (SignatureRefusedException e)
            {
                unproven ??= e;
            }
        }
        if (times.Count == 0)
        {
            throw unproven ?? new SignatureRefusedException(RefusalKind.BadSignature, "no signed entry timestamp or RFC 3161 timestamp proves when the certificate signed");
        }
        X509Certificate2? authority = null;
        foreach (var signedAt in times)
        {
            authority = FulcioCertificate.CheckChain(certificate!, root, signedAt);
        }
        CertificateTransparency.Check(certificate!, authority!, root);
        var (identity, issuer) = FulcioCertificate.Identity(certificate!);
        if (issuer != policy.Issuer || !policy.AcceptsIdentity(identity))
        {
            throw new SignatureRefusedException(RefusalKind.OtherSigner, $"signed by {Output.Untrusted.Line(identity ?? "(no identity)")} from {Output.Untrusted.Line(issuer ?? "(no issuer)")}, not {policy.Description}");
        }
    }

    private static bool SameRepository(string? signed, string upstream) =>
        signed is not null && Normalize(signed) == Normalize(upstream);

    /// <summary>go-containerregistry writes Docker Hub as index.docker.io; a tag or digest after the name is not part of it.</summary>
    private static string Normalize(string reference)
    {
        var name = reference.Split('@')[0];
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            name = name[..colon];
        }
        return name.StartsWith("index.docker.io/", StringComparison.Ordinal) ? "docker.io/" + name["index.docker.io/".Length..] : name;
    }

    private static Verdict Guard(Func<Verdict> check)
    {
        try
        {
            return check();
        }
        catch (SignatureRefusedException e)
        {
            return Verdict.Refuse(e.Kind, e.Message);
        }
        catch (Exception e) when (e is FormatException or CryptographicException or System.Formats.Asn1.AsnContentException)
        {
            return Verdict.Refuse(RefusalKind.Malformed, $"the signature material is malformed: {Output.Untrusted.Line(e.Message)}");
        }
    }
}
