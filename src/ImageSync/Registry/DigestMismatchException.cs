using ImageSync.References;

namespace ImageSync.Registry;

/// <summary>Content did not hash to the digest it was asked for: never pushed, never trusted.</summary>
public sealed class DigestMismatchException(string what, Digest expected, string actual)
    : RegistryException($"{what}: digest mismatch: expected {expected}, got {actual}")
{
    public Digest Expected { get; } = expected;
}
