namespace ImageSync.Common;

/// <summary>
/// The user's home folder, where Docker's, Podman's and git's own configuration live: HOME from the run's
/// environment (set but empty means none), else the account's profile folder.
/// </summary>
public static class UserHome
{
    public static string? Of(Func<string, string?> environment) =>
        (environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)) is { Length: > 0 } home ? home : null;
}
