using ImageSync.Config;

namespace ImageSync.Kustomize;

/// <summary>
/// Turns the mirrored pairs into image specs: one per upstream and target repository, each target tag once. The same
/// target tag from two pairs is one copy when they agree on the upstream (three tcp-echo kustomizations) and an error
/// when they do not, as it would be a race over which copy wins.
/// </summary>
public static class KustomizeImageSpecs
{
    public static (IReadOnlyList<ImageSpec> Images, IReadOnlyList<Diagnostic> Diagnostics) Build(IReadOnlyList<DerivedPair> pairs, IEnumerable<string>? reservedNames = null)
    {
        var diagnostics = new List<Diagnostic>();
        var byTargetTag = new Dictionary<string, DerivedPair>(StringComparer.Ordinal);
        var groups = new List<List<DerivedPair>>();
        foreach (var pair in pairs.Where(p => p.Ours))
        {
            if (pair.Target.Tag is null)
            {
                diagnostics.Add(Error(pair.Resource, $"{pair.Target}: pinned by digest alone; imagesync mirrors to a tag, so give the images: entry a newTag beside its digest ({pair.Origin})"));
                continue;
            }
            if (pair.Upstream.Name == pair.Target.Name)
            {
                diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, pair.Resource, "", $"{pair.Target}: the target is its upstream; nothing to mirror"));
                continue;
            }
            var tagKey = $"{pair.Target.Name}:{pair.Target.Tag}";
            if (byTargetTag.TryGetValue(tagKey, out var first))
            {
                if (first.Upstream != pair.Upstream)
                {
                    diagnostics.Add(Error(pair.Resource, $"{tagKey} is mapped from {pair.Upstream} here ({pair.Kustomization}) but from {first.Upstream} at {first.Resource} ({first.Kustomization}); one target tag cannot hold both"));
                }
                else
                {
                    groups.First(g => g.Contains(first)).Add(pair);
                }
                continue;
            }
            byTargetTag[tagKey] = pair;
            if (groups.FirstOrDefault(g => g[0].Upstream.Name == pair.Upstream.Name && g[0].Target.Name == pair.Target.Name) is { } group)
            {
                group.Add(pair);
            }
            else
            {
                groups.Add([pair]);
            }
        }
        var names = new HashSet<string>(reservedNames ?? [], StringComparer.Ordinal);
        var images = groups.Select(g => Spec(g, Name(g[0], names))).ToList();
        return (images, diagnostics);
    }

    private static ImageSpec Spec(List<DerivedPair> group, string name)
    {
        var first = group[0];
        var tags = group.DistinctBy(p => p.Target.Tag).Select(p => new TagSpec(p.Upstream.Digest?.ToString() ?? p.Upstream.Tag!, p.Target.Tag!, p.Resource)).ToList();
        var fields = new Dictionary<string, SourcePosition> { ["images"] = first.Mapping ?? first.Resource, ["resource"] = first.Resource };
        return new ImageSpec(name, first.Upstream.NameOnly(), first.Target.NameOnly(), tags, null, [], false,
            new FieldPositions(first.Kustomization, first.Resource, fields, NameField: "images", TargetField: "images"),
            Origins: [.. group.Select(p => $"{p.Target.Tag}: {p.Origin}").Distinct()]);
    }

    /// <summary>The target repository's last part (go-httpbin), else its whole path with '-' for '/', else numbered.</summary>
    private static string Name(DerivedPair pair, HashSet<string> taken)
    {
        var repository = pair.Target.Repository;
        string[] candidates = [repository.Split('/')[^1], repository.Replace('/', '-')];
        var name = candidates.FirstOrDefault(c => !taken.Contains(c));
        for (var n = 2; name is null; n++)
        {
            name = taken.Contains($"{candidates[1]}-{n}") ? null : $"{candidates[1]}-{n}";
        }
        taken.Add(name);
        return name;
    }

    private static Diagnostic Error(SourcePosition at, string message) => new(DiagnosticSeverity.Error, at, "", message);
}
