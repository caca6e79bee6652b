using ImageSync.Config;
using ImageSync.Upstream;

namespace ImageSync.Kustomize;

/// <summary>
/// The one entry point: a loaded configuration with a <c>kustomize</c> section gets the images its kustomizations
/// derive joined to its own <c>images</c>, and every finding of the derivation beside the configuration's. The checks
/// across entries (<see cref="ConfigChecks"/>) run again over the joined list, so the same target tag from an
/// <c>images</c> entry and a kustomization is an error, not a double copy.
/// </summary>
public static class KustomizeImages
{
    public static async Task<ConfigLoadResult> AddAsync(ConfigLoadResult loaded, UpstreamFetch? fetch, CancellationToken cancellationToken)
    {
        if (loaded.Config is not { Kustomize: { } settings } config)
        {
            return loaded;
        }
        var root = Path.GetDirectoryName(Path.GetFullPath(config.Path))!;
        var displayRoot = Path.GetDirectoryName(config.Path) is { Length: > 0 } d ? d : ".";
        var (roots, found) = KustomizationTree.Load(root, displayRoot, settings, config.Samples);
        var diagnostics = new List<Diagnostic>(found);
        var remote = await FetchAsync(roots, config.Samples, fetch, diagnostics, cancellationToken).ConfigureAwait(false);
        var derivation = new KustomizeDeriver(settings, remote).Derive(roots, config.Images.Select(i => i.Name));
        diagnostics.AddRange(derivation.Diagnostics);

        var joined = config with { Images = [.. config.Images, .. derivation.Images] };
        var checks = new DiagnosticBag();
        ConfigChecks.Run(joined, checks);
        var known = loaded.Diagnostics.Select(x => x.ToString()).ToHashSet(StringComparer.Ordinal);
        diagnostics.AddRange(checks.Items.Where(x => !known.Contains(x.ToString())));
        var ordered = diagnostics.DistinctBy(x => x.ToString()).OrderBy(x => x.Position.File, StringComparer.Ordinal).ThenBy(x => x.Position.Line).ThenBy(x => x.Position.Column);
        return new ConfigLoadResult(joined, [.. loaded.Diagnostics, .. ordered], derivation with { Diagnostics = [.. ordered] });
    }

    /// <summary>The raw GitHub resources, one tarball request per ref; a failure is an error at the first resource that needed it.</summary>
    private static async Task<IReadOnlyDictionary<RawGitHubFile, string>> FetchAsync(IReadOnlyList<KustomizationNode> roots, UpstreamSampleSource upstream, UpstreamFetch? fetch, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var wanted = roots.SelectMany(Remote).ToList();
        var result = new Dictionary<RawGitHubFile, string>();
        foreach (var byRef in wanted.GroupBy(w => w.File.Ref, StringComparer.Ordinal))
        {
            var at = byRef.First().At;
            if (fetch is null)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, "", $"{byRef.First().File}: reading raw GitHub resources is not available here"));
                continue;
            }
            try
            {
                var paths = byRef.Select(w => w.File.Path).Distinct(StringComparer.Ordinal).ToList();
                var (files, _) = await fetch(upstream with { Ref = byRef.Key, Paths = paths }, cancellationToken).ConfigureAwait(false);
                foreach (var file in files)
                {
                    result[new RawGitHubFile(upstream.Repository, byRef.Key, file.Path)] = file.Content;
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or HttpRequestException or Errors.ImageSyncException)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, "", $"{byRef.First().File}: {e.Message}"));
            }
        }
        return result;
    }

    private static IEnumerable<(RawGitHubFile File, SourcePosition At)> Remote(KustomizationNode node) =>
        node.Resources.SelectMany(r => r.Remote is { } file ? [(file, r.Declared.Position)] : r.Nested is { } nested ? Remote(nested) : []);
}
