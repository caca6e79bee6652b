namespace ImageSync.Verification;

/// <summary>
/// What an image's signatures must satisfy (its <c>verify.cosign</c> configuration). Keyed: signed by
/// <paramref name="Key"/>; with a <paramref name="TrustedRoot"/> the signature must also be in one of its logs.
/// Keyless: a certificate from one of the root's CAs for <paramref name="Identity"/> from <paramref name="Issuer"/>,
/// its signing time proven by a log's signed entry timestamp. <paramref name="MatchRepository"/>: the payload must
/// also name the upstream repository (critical.identity.docker-reference). <paramref name="Description"/> names
/// the policy in messages ("key keys/istio.pub").
/// </summary>
public sealed record SignaturePolicy(string Description, VerificationKey? Key, string? Identity, string? Issuer, TrustedRoot? TrustedRoot, bool MatchRepository = false)
{
    public bool IsKeyless => Key is null;
}
