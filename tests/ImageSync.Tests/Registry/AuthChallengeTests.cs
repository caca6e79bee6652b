using ImageSync.Registry.Auth;

namespace ImageSync.Tests.Registry;

public class AuthChallengeTests
{
    [Fact]
    public void Parses_a_bearer_challenge_with_several_space_separated_scopes()
    {
        var challenge = Assert.Single(AuthChallenge.Parse([
            "Bearer realm=\"http://127.0.0.1:5934/token\",service=\"test-registry\",scope=\"repository:a/b:pull repository:a/b:push repository:x/y:pull\""]));
        Assert.Equal("bearer", challenge.Scheme);
        Assert.Equal("http://127.0.0.1:5934/token", challenge.Realm);
        Assert.Equal("test-registry", challenge.Service);
        Assert.Equal(["repository:a/b:pull", "repository:a/b:push", "repository:x/y:pull"], challenge.Scopes);
    }

    [Fact]
    public void Parses_several_challenges_in_one_header_unquoted_values_and_escapes()
    {
        var challenges = AuthChallenge.Parse(["Negotiate, Basic realm=\"say \\\"hi\\\"\", BEARER realm=https://auth.example/token, service=reg"]);
        Assert.Equal(["negotiate", "basic", "bearer"], challenges.Select(c => c.Scheme));
        Assert.Equal("say \"hi\"", challenges[1].Realm);
        Assert.Equal("https://auth.example/token", challenges[2].Realm);
        Assert.Equal("reg", challenges[2].Service);
    }

    [Fact]
    public void Parses_challenges_from_separate_header_values_and_lowercases_keys()
    {
        var challenges = AuthChallenge.Parse(["Basic Realm=\"r\"", "Bearer REALM=\"https://a/t\""]);
        Assert.Equal("r", challenges[0].Realm);
        Assert.Equal("https://a/t", challenges[1].Realm);
    }

    [Fact]
    public void Skips_a_token68_after_a_scheme()
    {
        var challenges = AuthChallenge.Parse(["Negotiate YIIabc==, Bearer realm=\"https://a/t\""]);
        Assert.Equal(["negotiate", "bearer"], challenges.Select(c => c.Scheme));
        Assert.Empty(challenges[0].Parameters);
        Assert.Equal("https://a/t", challenges[1].Realm);
    }

    [Fact]
    public void An_unterminated_quote_makes_the_challenge_unusable()
    {
        Assert.Empty(AuthChallenge.Parse(["Bearer realm=\"https://a/t"]));
    }
}
