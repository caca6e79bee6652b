namespace ImageSync.Discovery;

/// <summary>One upstream tag as Discover shows it.</summary>
public sealed record DiscoveredTag(string Tag, bool Configured, bool Newer);
