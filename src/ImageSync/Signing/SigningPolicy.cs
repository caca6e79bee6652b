using ImageSync.Config;

namespace ImageSync.Signing;

/// <summary>
/// An image's (or the defaults') <c>sign.cosign</c> configuration: the mirror signs each tag it writes with the
/// private key in the environment variable <paramref name="KeyEnv"/>. <paramref name="At"/> and
/// <paramref name="Field"/> say where it was written, for errors about the variable. <paramref name="Key"/> is the
/// key once the run's environment was read (<see cref="SigningKeys"/>); null before that.
/// </summary>
public sealed record SigningPolicy(string KeyEnv, SourcePosition At, string Field, SigningKey? Key = null)
{
    /// <summary>How messages name the signer, never the key itself.</summary>
    public string Description => $"the key in ${KeyEnv}";
}
