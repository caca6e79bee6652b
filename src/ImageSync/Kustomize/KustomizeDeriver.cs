using ImageSync.Config;
using ImageSync.References;

namespace ImageSync.Kustomize;

/// <summary>
/// Applies each kustomization's <c>images:</c> entries to the image values of its resources, as kustomize v5 does:
/// a nested kustomization first with its own entries, then the including one's; within one kustomization the
/// entries one after another, each to every value (so <c>a -> b</c> then <c>b -> c</c> makes <c>a</c> into <c>c</c>),
/// each applied once per pass of kustomize that reaches the value (<see cref="ResourceImage.Passes"/>). Pure: the
/// files are already read (<see cref="KustomizationTree"/>) and the raw GitHub ones fetched.
/// </summary>
public sealed class KustomizeDeriver(KustomizeSettings settings, IReadOnlyDictionary<RawGitHubFile, string> remote)
{
    private sealed record Value(string Written, string Current, SourcePosition Position, int Passes, ImageTransform? LastMatch);

    private readonly HashSet<ImageTransform> _used = [];
    private readonly List<Diagnostic> _diagnostics = [];

    /// <param name="reservedNames">Names already taken (the configuration's own images), so derived names differ.</param>
    public KustomizeDerivation Derive(IReadOnlyList<KustomizationNode> roots, IEnumerable<string>? reservedNames = null)
    {
        var pairs = new List<DerivedPair>();
        foreach (var root in roots)
        {
            try
            {
                foreach (var value in Evaluate(root))
                {
                    if (Pair(root.Kustomization, value) is { } pair)
                    {
                        pairs.Add(pair);
                    }
                }
            }
            catch (KustomizeException e)
            {
                Error(e.Position, e.Reason);
            }
        }
        foreach (var entry in roots.SelectMany(AllEntries).Distinct().Where(e => !_used.Contains(e)))
        {
            Warning(entry.NamePosition, $"images: \"{Output.Untrusted.Line(entry.Name, 100)}\" matches no image of the resources (kustomize matches names as written: no docker.io/ or library/ is added or removed)");
        }
        var (images, conflicts) = KustomizeImageSpecs.Build(pairs, reservedNames);
        _diagnostics.AddRange(conflicts);
        return new KustomizeDerivation(images, pairs, [.. _diagnostics.DistinctBy(d => d.ToString())]);
    }

    /// <summary>Each image value the transformer reaches: as written, and as kubectl kustomize prints it.</summary>
    public IReadOnlyList<(string Written, string Printed, SourcePosition Position)> Render(KustomizationNode root) =>
        [.. Evaluate(root).Select(v => (v.Written, v.Current, v.Position))];

    private static IEnumerable<ImageTransform> AllEntries(KustomizationNode node) =>
        node.Kustomization.Images.Concat(node.Resources.Where(r => r.Nested is not null).SelectMany(r => AllEntries(r.Nested!)));

    private List<Value> Evaluate(KustomizationNode node)
    {
        var values = new List<Value>();
        foreach (var resource in node.Resources)
        {
            if (resource.Nested is { } nested)
            {
                values.AddRange(Evaluate(nested));
                continue;
            }
            var (display, content) = resource.Remote is { } r
                ? (r.ToString(), remote.TryGetValue(r, out var text) ? text : throw new KustomizeException(resource.Declared.Position, $"resource {r}: no such file at {r.Repository}@{r.Ref}"))
                : (resource.DisplayPath!, resource.Content!);
            values.AddRange(ResourceImageFinder.Find(display, content).Select(i => new Value(i.Value, i.Value, i.Position, i.Passes, null)));
        }
        foreach (var entry in node.Kustomization.Images)
        {
            for (var i = 0; i < values.Count; i++)
            {
                for (var pass = 0; pass < values[i].Passes; pass++)
                {
                    if (ImageTagUpdater.Apply(values[i].Current, entry) is { } changed)
                    {
                        _used.Add(entry);
                        values[i] = values[i] with { Current = changed, LastMatch = entry };
                    }
                }
            }
        }
        return values;
    }

    private DerivedPair? Pair(Kustomization root, Value value)
    {
        if (value.LastMatch is null)
        {
            Warning(value.Position, $"{Output.Untrusted.Line(value.Written, 120)}: no images: entry of {root.File} maps it; pods pull it as written{(Reference.TryParse(value.Written, out var pulled, out _) && pulled!.Registry == Reference.DockerHub ? ", from Docker Hub (rate limited)" : "")}");
            return null;
        }
        Reference? written = null;
        if (!Reference.TryParse(value.Current, out var target, out var error) || !Reference.TryParse(ImageParts.Split(value.Written).Name, out written, out error))
        {
            Warning(value.Position, $"{Output.Untrusted.Line(value.Written, 120)} -> {Output.Untrusted.Line(value.Current, 120)}: not an image reference ({error}); passed over");
            return null;
        }
        var upstream = written!.NameOnly() with { Tag = target!.Tag, Digest = target.Digest };
        if (upstream.Tag is null && upstream.Digest is null)
        {
            (upstream, target) = (upstream.WithTag("latest"), target.WithTag("latest"));
        }
        return new DerivedPair(value.Written, upstream, target, root.File, value.Position, value.LastMatch.Position, settings.Owns(target));
    }

    private void Error(SourcePosition at, string message) => _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, at, "", message));

    private void Warning(SourcePosition at, string message) => _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, at, "", message));
}
