using ImageSync.Common;
using ImageSync.Config;
using LibGit2Sharp;

namespace ImageSync.Git;

/// <summary>
/// The repository's git configuration with the files above it that libgit2 reads: <c>~/.gitconfig</c>, the XDG file
/// and <c>/etc/gitconfig</c>. LibGit2Sharp asks libgit2 for those paths through a buffer that the ahead-of-time
/// compiled tool's marshalling does not copy back, so left to itself it finds none of them and a <c>user.name</c> set
/// with <c>git config --global</c> would go unseen; naming them here keeps it seen.
/// </summary>
internal static class GitConfigFiles
{
    public static Configuration Open(Repository repository, Func<string, string?> environment)
    {
        var home = UserHome.Of(environment);
        var xdg = environment("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : home is null ? null : Path.Combine(home, ".config");
        return Configuration.BuildFrom(
            Path.Combine(repository.Info.Path, "config"),
            home is null ? null : Path.Combine(home, ".gitconfig"),
            xdg is null ? null : Path.Combine(xdg, "git", "config"),
            "/etc/gitconfig");
    }
}
