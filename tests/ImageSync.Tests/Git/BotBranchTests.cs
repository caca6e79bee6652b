using ImageSync.Errors;
using ImageSync.Git;

namespace ImageSync.Tests.Git;

public sealed class BotBranchTests
{
    [Theory]
    [InlineData("image-sync/update-tags")]
    [InlineData("bot/1.29")]
    public void A_branch_of_its_own_is_taken(string name) =>
        Assert.Equal(name, BotBranch.For(name, []).Name);

    [Theory]
    [InlineData("main")]
    [InlineData("master")]
    public void Main_branches_are_refused_whatever_the_repository_says(string name)
    {
        var e = Assert.Throws<ImageSyncException>(() => BotBranch.For(name, []));

        Assert.Equal($"--branch {name} is a main branch; AutoUpdate commits and force-pushes only to a branch of its own (default image-sync/update-tags)", e.Message);
    }

    [Fact]
    public void A_reserved_branch_is_refused_with_why()
    {
        var e = Assert.Throws<ImageSyncException>(() => BotBranch.For("release-1.28", [("release-1.28", "a protected branch")]));

        Assert.StartsWith("--branch release-1.28 is a protected branch;", e.Message);
    }

    [Fact]
    public void Reserved_names_match_exactly()
    {
        Assert.Equal("Main", BotBranch.For("Main", []).Name);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("-x")]
    [InlineData("has space")]
    public void A_name_git_would_refuse_is_refused_first(string name)
    {
        var e = Assert.Throws<ImageSyncException>(() => BotBranch.For(name, []));

        Assert.StartsWith("--branch: ", e.Message);
    }
}
