namespace ImageSync.Verification;

/// <summary>
/// What an image's signatures must satisfy (its <c>verify.cosign</c> configuration). Keyed: signed by
/// <paramref name="Key"/>; with a <paramref name="TrustedRoot"/> the signature must also be in one of its logs.
/// Keyless: a certificate from one of the root's CAs for <paramref name="Identity"/> from <paramref name="Issuer"/>,
/// its signing time proven by a log's signed entry timestamp. <paramref name="MatchRepository"/>: the payload must
/// also name the upstream repository (critical.identity.docker-reference). <paramref name="Description"/> names
/// the policy in messages ("key keys/istio.pub"). <paramref name="IdentityPattern"/>: keyless, the identity must
/// match this anchored expression instead of equalling <paramref name="Identity"/>.
/// </summary>
public sealed record SignaturePolicy(string Description, VerificationKey? Key, string? Identity, string? Issuer, TrustedRoot? TrustedRoot, bool MatchRepository = false, IdentityPattern? IdentityPattern = null)
{
    public bool IsKeyless => Key is null;

    /// <summary>Whether a certificate's identity is the one this keyless policy wants.</summary>
    public bool AcceptsIdentity(string? identity) => IdentityPattern is { } pattern ? pattern.Matches(identity) : identity == Identity;
}
