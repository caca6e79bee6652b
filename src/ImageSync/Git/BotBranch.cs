using ImageSync.Errors;

namespace ImageSync.Git;

/// <summary>
/// The branch AutoUpdate commits to and force-pushes. It can only be made for a name that is none of the branches
/// people work on: main, master, the pull request's base, origin's default branch, GitHub's default branch, or a
/// protected branch. Every write to git takes one, so no other branch can be committed to or pushed.
/// </summary>
public sealed class BotBranch
{
    private BotBranch(string name) => Name = name;

    public string Name { get; }

    /// <param name="reserved">Branch names known to belong to people, with why (e.g. "the pull request's base").</param>
    /// <exception cref="ImageSyncException">The name is reserved; the message says why.</exception>
    public static BotBranch For(string name, IEnumerable<(string Name, string Why)> reserved)
    {
        if (!Upstream.GitHubNames.IsRefName(name, out var error))
        {
            throw new ImageSyncException($"--branch: {error}");
        }
        foreach (var (taken, why) in reserved.Prepend(("main", "a main branch")).Prepend(("master", "a main branch")))
        {
            if (string.Equals(name, taken, StringComparison.Ordinal))
            {
                throw new ImageSyncException($"--branch {name} is {why}; AutoUpdate commits and force-pushes only to a branch of its own (default image-sync/update-tags)");
            }
        }
        return new BotBranch(name);
    }

    public override string ToString() => Name;
}
