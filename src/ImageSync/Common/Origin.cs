namespace ImageSync.Common;

/// <summary>
/// The web's origin (scheme, host and port): what decides where credentials may go, which pages of a tag list may be
/// followed, and when a redirect left the registry. One comparison for all of them.
/// </summary>
public static class Origin
{
    public static bool Same(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Authority, b.Authority, StringComparison.OrdinalIgnoreCase);
}
