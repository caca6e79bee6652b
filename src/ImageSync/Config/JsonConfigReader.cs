using System.Text.Json;

namespace ImageSync.Config;

/// <summary>
/// Reads <c>image-sync-config.json</c>; every problem becomes a positioned diagnostic. The top level is read here;
/// each section by a reader of its own (<see cref="JsonImageReader"/>, <see cref="JsonSectionReader"/>,
/// <see cref="JsonKustomizeReader"/>) over the same <see cref="JsonValues"/>.
/// </summary>
internal sealed class JsonConfigReader(string displayPath, DiagnosticBag diagnostics)
{
    internal static readonly string[] TopLevelKeys = ["$schema", "images", "kustomize", "defaults", "registries", "upstream_samples", "check_new_tags", "max_tags_to_check", "sync_schedule", "trusted_upstreams"];

    private readonly JsonValues _values = new(displayPath, diagnostics);

    public SyncConfig? Read(byte[] content)
    {
        JsonNodeAt root;
        try
        {
            root = PositionedJson.Parse(content);
        }
        catch (JsonSyntaxError e)
        {
            var text = System.Text.Encoding.UTF8.GetString(content).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
            var yaml = displayPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || displayPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("images:", StringComparison.Ordinal) || text.StartsWith("targetRepoPrefix:", StringComparison.Ordinal);
            diagnostics.Error(_values.At(e.Line, e.Column), "", yaml
                ? "this is not JSON but looks like kyma's external-images.yaml format: pass it with --images-file (SYNCER_IMAGES_FILE), not --config"
                : e.Message);
            return null;
        }
        if (root is not JsonObjectAt top)
        {
            _values.Error(root, "", $"expected an object at the top level, got {root.KindName}");
            return null;
        }

        var fields = _values.Fields(top, "", TopLevelKeys);
        var checkNewTags = fields.TryGetValue("check_new_tags", out var c) && _values.Bool(c, "check_new_tags") == true;
        var maxTags = SyncConfig.DefaultMaxTagsToCheck;
        if (fields.TryGetValue("max_tags_to_check", out var m))
        {
            maxTags = _values.PositiveInt(m, "max_tags_to_check") ?? maxTags;
        }
        if (fields.TryGetValue("sync_schedule", out var s))
        {
            _values.String(s, "sync_schedule");
        }
        if (fields.TryGetValue("$schema", out var schema))
        {
            _values.String(schema, "$schema");
        }
        var imageReader = new JsonImageReader(_values);
        var sections = new JsonSectionReader(_values);
        var defaults = fields.TryGetValue("defaults", out var d) ? imageReader.ReadDefaults(d) : JsonImageReader.Defaults.None;
        var registries = fields.TryGetValue("registries", out var r) ? sections.ReadRegistries(r) : new Dictionary<string, RegistryEndpoint>();
        var samples = fields.TryGetValue("upstream_samples", out var us) ? sections.ReadSamples(us) : null;
        var trusted = fields.TryGetValue("trusted_upstreams", out var tu) ? sections.ReadTrustedUpstreams(tu) : null;
        var kustomize = fields.TryGetValue("kustomize", out var k) ? new JsonKustomizeReader(_values).Read(k) : null;

        var images = new List<ImageSpec>();
        if (!fields.TryGetValue("images", out var imagesNode))
        {
            // Kustomizations can be the whole image list.
            if (!fields.ContainsKey("kustomize"))
            {
                diagnostics.Error(_values.At(top), "images", "missing required field \"images\" (or \"kustomize\", to derive them from kustomizations)");
            }
        }
        else if (imagesNode is not JsonArrayAt array)
        {
            _values.Error(imagesNode, "images", $"expected an array of images, got {imagesNode.KindName}");
        }
        else
        {
            if (array.Items.Count == 0 && !fields.ContainsKey("kustomize"))
            {
                diagnostics.Warning(_values.At(array), "images", "no images are configured");
            }
            for (var i = 0; i < array.Items.Count; i++)
            {
                if (imageReader.ReadImage(array.Items[i], $"images[{i}]", defaults) is { } image)
                {
                    images.Add(image);
                }
            }
        }
        return new SyncConfig(displayPath, images, checkNewTags, maxTags, registries, samples, TrustedUpstreams: trusted, Kustomize: kustomize);
    }
}
