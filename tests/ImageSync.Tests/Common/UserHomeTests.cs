using ImageSync.Common;

namespace ImageSync.Tests.Common;

public sealed class UserHomeTests
{
    [Fact]
    public void HOME_from_the_runs_environment_wins() =>
        Assert.Equal("/home/ci", UserHome.Of(name => name == "HOME" ? "/home/ci" : null));

    [Fact]
    public void HOME_set_but_empty_means_no_home() =>
        Assert.Null(UserHome.Of(name => name == "HOME" ? "" : null));

    [Fact]
    public void Without_HOME_the_accounts_profile_folder_is_used() =>
        Assert.Equal(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } profile ? profile : null, UserHome.Of(_ => null));
}
