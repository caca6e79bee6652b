using ImageSync.Errors;

namespace ImageSync.Verification;

/// <summary>One signature that does not let the digest through, and why (its message is the one line shown).</summary>
public sealed class SignatureRefusedException(RefusalKind kind, string message) : ImageSyncException(message)
{
    public RefusalKind Kind { get; } = kind;
}
