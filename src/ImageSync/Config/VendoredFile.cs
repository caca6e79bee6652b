namespace ImageSync.Config;

/// <summary>
/// One entry of <c>upstream_samples.files</c>: a file of ours (<paramref name="Path"/>, relative to the
/// configuration's folder) that is a byte-exact copy of <paramref name="UpstreamPath"/> in the upstream repository.
/// </summary>
public sealed record VendoredFile(string Path, string UpstreamPath, SourcePosition Position);
