namespace ImageSync.Verification;

/// <summary>The outcome of checking one digest: verified (and by what), or refused with a one-line reason.</summary>
public sealed record Verdict(bool Verified, RefusalKind? Refusal, string Reason)
{
    public static Verdict Pass(string how) => new(true, null, how);

    public static Verdict Refuse(RefusalKind kind, string reason) => new(false, kind, reason);

    /// <summary>
    /// Of several candidate signatures, the one that passed; else the most telling refusal (a bad signature or another
    /// subject says more than another signer, which says more than a format we cannot read).
    /// </summary>
    public static Verdict Combine(IReadOnlyList<Verdict> verdicts, string subject)
    {
        if (verdicts.FirstOrDefault(v => v.Verified) is { } pass)
        {
            return pass;
        }
        if (verdicts.Count == 0)
        {
            return Refuse(RefusalKind.NotSigned, $"{subject} is not signed (no cosign signature or sigstore bundle upstream)");
        }
        RefusalKind[] order = [RefusalKind.BadSignature, RefusalKind.OtherSubject, RefusalKind.OtherSigner, RefusalKind.Malformed, RefusalKind.NotSigned];
        var worst = verdicts.OrderBy(v => Array.IndexOf(order, v.Refusal!.Value)).First();
        return verdicts.Count == 1 ? worst : worst with { Reason = $"{worst.Reason} (and {verdicts.Count - 1} more signature(s) refused)" };
    }
}
