namespace ImageSync.Upstream;

/// <summary>
/// What one archive gave AutoUpdate: the sample files under the configured paths (where image tags are read), notes
/// on what was passed over, and each vendored file's upstream copy by its upstream path (upstream_samples.files).
/// </summary>
public sealed record FetchedSamples(IReadOnlyList<UpstreamFile> Files, IReadOnlyList<string> Notes, IReadOnlyDictionary<string, UpstreamFile> Vendored);
