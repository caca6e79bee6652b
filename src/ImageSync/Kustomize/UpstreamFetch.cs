using ImageSync.Config;
using ImageSync.Upstream;

namespace ImageSync.Kustomize;

/// <summary>Reads upstream files in one request per ref (GitHubSampleReader.FetchAsync).</summary>
public delegate Task<(IReadOnlyList<UpstreamFile> Files, IReadOnlyList<string> Notes)> UpstreamFetch(UpstreamSampleSource samples, CancellationToken cancellationToken);
