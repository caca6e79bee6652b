namespace ImageSync.Upstream;

/// <summary>One upstream file as fetched: its path in the repository, its text, and a link a person can open.</summary>
public sealed record SampleFile(string Path, string Content, string WebUrl);
