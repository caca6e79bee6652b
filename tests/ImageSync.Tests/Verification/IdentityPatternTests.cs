using ImageSync.Verification;

namespace ImageSync.Tests.Verification;

/// <summary>identity_regexp: anchored, bounded, linear-time; what cosign's --certificate-identity-regexp users write.</summary>
public sealed class IdentityPatternTests
{
    private const string Release = "https://github.com/istio/istio/.github/workflows/release.yml@refs/heads/master";

    [Theory]
    [InlineData(@"https://github\.com/istio/istio/\.github/workflows/release\.yml@refs/(heads|tags)/.*", Release, true)]
    [InlineData(@"https://github\.com/istio/.*", Release, true)]
    // Anchored: a pattern for part of the identity does not accept it, nor an identity that only contains a match.
    [InlineData(@"github\.com/istio", Release, false)]
    [InlineData(@"https://github\.com/istio/.*", "https://evil.example/?https://github.com/istio/x", false)]
    [InlineData(@"https://github\.com/istio/.*|x", "https://evil.example/https://github.com/istio/", false)]
    [InlineData(@"^https://github\.com/istio/.*$", Release, true)]
    public void The_whole_identity_must_match(string pattern, string identity, bool matches) =>
        Assert.Equal(matches, IdentityPattern.Parse(pattern).Matches(identity));

    [Fact]
    public void No_identity_never_matches() => Assert.False(IdentityPattern.Parse(".*").Matches(null));

    /// <summary>A pattern that backtracks catastrophically elsewhere ((a|a)*b on a long run of a's) is run by the linear-time engine and answers.</summary>
    [Fact]
    public void A_catastrophic_pattern_from_a_pull_request_answers()
    {
        Assert.False(IdentityPattern.Parse("(a|a)*b").Matches(new string('a', 20_000)));
        Assert.False(IdentityPattern.Parse("(a+)+$").Matches(new string('a', 20_000) + "!"));
    }

    [Theory]
    [InlineData(@"(a)\1", "not supported here")]
    [InlineData(@"(?=https).*", "not supported here")]
    [InlineData("(", "Invalid pattern")]
    public void What_the_engine_cannot_run_is_refused(string pattern, string reason)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => IdentityPattern.Parse(pattern));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pattern_longer_than_the_bound_is_refused() =>
        Assert.Contains("more than the 1024", Assert.Throws<ArgumentException>(() => IdentityPattern.Parse(new string('a', 1025))).Message, StringComparison.Ordinal);
}
