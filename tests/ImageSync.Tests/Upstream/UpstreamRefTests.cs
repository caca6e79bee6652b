using ImageSync.Config;
using ImageSync.Errors;
using ImageSync.Upstream;

namespace ImageSync.Tests.Upstream;

public sealed class UpstreamRefTests
{
    private static readonly UpstreamSampleSource Configured = UpstreamSampleSource.Default with { Ref = "master" };

    [Fact]
    public void The_configurations_ref_when_nothing_else_is_said() =>
        Assert.Equal("master", UpstreamRef.Resolve(Configured, null, null, null).Ref);

    [Fact]
    public void UPDATE_BRANCH_makes_a_release_branch_follow_its_upstream_branch() =>
        Assert.Equal("release-1.28", UpstreamRef.Resolve(Configured, null, null, "release-1.28").Ref);

    [Fact]
    public void The_command_line_wins_over_UPDATE_BRANCH() =>
        Assert.Equal("1.29.0", UpstreamRef.Resolve(Configured, null, "1.29.0", "release-1.28").Ref);

    [Fact]
    public void An_empty_UPDATE_BRANCH_is_not_set() =>
        Assert.Equal("master", UpstreamRef.Resolve(Configured, null, null, "").Ref);

    [Fact]
    public void UPDATE_BRANCH_is_checked_as_a_git_ref_before_it_reaches_an_api_path()
    {
        var e = Assert.Throws<ImageSyncException>(() => UpstreamRef.Resolve(Configured, null, null, "../../x"));

        Assert.StartsWith("UPDATE_BRANCH: ", e.Message);
    }

    [Fact]
    public void The_repository_is_the_configurations_unless_the_command_line_names_another()
    {
        Assert.Equal("istio/istio", UpstreamRef.Resolve(Configured, null, null, null).Repository);
        Assert.Equal("o/r", UpstreamRef.Resolve(Configured, "o/r", null, null).Repository);
    }
}
