using ImageSync.Upstream;

namespace ImageSync.Tests.Upstream;

public sealed class GitHubNamesTests
{
    [Theory]
    [InlineData("istio/istio")]
    [InlineData("istio-ecosystem/sail-operator")]
    [InlineData("a/b.c_d-e")]
    public void Repositories_GitHub_allows_are_taken(string slug) =>
        Assert.True(GitHubNames.IsRepository(slug, out _));

    [Theory]
    [InlineData("istio")]
    [InlineData("istio/istio/extra")]
    [InlineData("istio/..")]
    [InlineData("istio/.")]
    [InlineData("-istio/istio")]
    [InlineData("is--tio/istio")]
    [InlineData("istio/is tio")]
    [InlineData("istio/istio?x=1")]
    [InlineData("istio%2Fistio/x")]
    public void Anything_else_is_refused_before_a_request(string slug)
    {
        Assert.False(GitHubNames.IsRepository(slug, out var error));
        Assert.EndsWith("is not a GitHub repository OWNER/NAME", error);
    }

    [Theory]
    [InlineData("master")]
    [InlineData("release-1.28")]
    [InlineData("1.29.0")]
    [InlineData("refs/heads/feature/x")]
    [InlineData("86c9f01fd735")]
    public void Ref_names_git_allows_are_taken(string name) =>
        Assert.True(GitHubNames.IsRefName(name, out _));

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("a b", "holds a character a git ref cannot have")]
    [InlineData("a?b", "holds a character a git ref cannot have")]
    [InlineData("a%2e", "holds a character a git ref cannot have")]
    [InlineData("/a", "has an empty path component")]
    [InlineData("a//b", "has an empty path component")]
    [InlineData("-a", "starts with \"-\"")]
    [InlineData("a..b", "holds \"..\" or \"@{\"")]
    [InlineData("a@{1}", "holds \"..\" or \"@{\"")]
    [InlineData("@", "holds \"..\" or \"@{\"")]
    [InlineData("a.lock", "has a component that starts or ends with \".\" or ends with \".lock\"")]
    [InlineData("a/.b", "has a component that starts or ends with \".\" or ends with \".lock\"")]
    public void Ref_names_git_refuses_are_refused_with_the_rule(string name, string problem)
    {
        Assert.False(GitHubNames.IsRefName(name, out var error));
        Assert.EndsWith($"it {problem}", error);
    }

    [Fact]
    public void A_ref_name_over_255_characters_is_refused()
    {
        Assert.False(GitHubNames.IsRefName(new string('a', 256), out var error));
        Assert.EndsWith("is longer than 255 characters", error);
    }

    [Fact]
    public void The_error_quotes_the_name_as_one_inert_line()
    {
        Assert.False(GitHubNames.IsRefName("a\nb", out var error));
        Assert.DoesNotContain('\n', error);
    }
}
