using ImageSync.Config;
using ImageSync.References;

namespace ImageSync.Layout;

/// <summary>
/// The OCI layouts a run names, by their registry name (<see cref="LayoutReference.RegistryFor"/>): one
/// <see cref="OciLayout"/> per folder however it is spelled, so tags written to it by several images share one
/// index.json lock. A layout is written only when some image names it as its target.
/// </summary>
public static class LayoutSet
{
    public static IReadOnlyDictionary<string, OciLayout> From(SyncConfig config)
    {
        var references = config.Images.SelectMany(i => new[] { (Reference: i.Upstream, Target: false), (Reference: i.Target, Target: true) })
            .Where(r => r.Reference.IsLayout)
            .GroupBy(r => r.Reference.Registry, StringComparer.OrdinalIgnoreCase);
        return references.ToDictionary(
            g => g.Key,
            g => new OciLayout(g.First().Reference.Layout!, writable: g.Any(r => r.Target)),
            StringComparer.OrdinalIgnoreCase);
    }
}
