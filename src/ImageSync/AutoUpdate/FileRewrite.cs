namespace ImageSync.AutoUpdate;

/// <summary>
/// One file the rewrite changes, before and after, the 1-based lines that differ, and the target repositories
/// whose references it rewrote.
/// </summary>
public sealed record FileRewrite(string Path, byte[] Before, byte[] After, IReadOnlyList<int> Lines, IReadOnlySet<string> Targets);
