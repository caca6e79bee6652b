using System.Text.RegularExpressions;

namespace ImageSync.Verification;

/// <summary>
/// A keyless policy's <c>identity_regexp</c> (cosign's <c>--certificate-identity-regexp</c>), anchored at both ends:
/// it must match the certificate's whole identity, so <c>https://github.com/istio/.*</c> does not accept
/// <c>https://evil.example/?https://github.com/istio/x</c>. The configuration can arrive in a pull request, so the
/// expression is bounded three ways: its length, a linear-time engine (<see cref="RegexOptions.NonBacktracking"/>,
/// no catastrophic backtracking whatever the pattern), and a match timeout on top.
/// </summary>
public sealed class IdentityPattern
{
    public const int MaxLength = 1024;

    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    private readonly Regex _regex;

    private IdentityPattern(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <exception cref="ArgumentException">Too long, or not an expression the linear-time engine takes; the message says why.</exception>
    public static IdentityPattern Parse(string pattern)
    {
        if (pattern.Length > MaxLength)
        {
            throw new ArgumentException($"the expression is {pattern.Length} characters, more than the {MaxLength} it may be");
        }
        try
        {
            return new IdentityPattern(pattern, new Regex($"^(?:{pattern})$", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout));
        }
        catch (NotSupportedException e)
        {
            // Backreferences, lookarounds, atomic groups: what a linear-time engine cannot run.
            throw new ArgumentException($"not supported here (no backreferences or lookarounds): {e.Message}", e);
        }
    }

    /// <summary>Whether the whole identity matches; an identity that takes too long to match is refused, never let through.</summary>
    public bool Matches(string? identity)
    {
        if (identity is null)
        {
            return false;
        }
        try
        {
            return _regex.IsMatch(identity);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new SignatureRefusedException(RefusalKind.Malformed, $"matching the certificate's identity against identity_regexp took longer than {MatchTimeout.TotalMilliseconds} ms");
        }
    }
}
