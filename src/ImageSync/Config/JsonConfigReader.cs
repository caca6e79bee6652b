using System.Text.Json;
using System.Text.RegularExpressions;
using ImageSync.References;

namespace ImageSync.Config;

/// <summary>Reads <c>image-sync-config.json</c>; every problem becomes a positioned diagnostic.</summary>
internal sealed partial class JsonConfigReader(string displayPath, DiagnosticBag diagnostics)
{
    internal static readonly string[] TopLevelKeys = ["$schema", "images", "defaults", "registries", "upstream_samples", "check_new_tags", "max_tags_to_check", "sync_schedule", "trusted_upstreams"];
    internal static readonly string[] ImageKeys = ["name", "upstream", "target", "tags", "platforms", "required_platforms", "immutable_tags", "sample"];
    internal static readonly string[] SamplesKeys = ["repository", "ref", "paths"];
    internal static readonly string[] DefaultsKeys = ["platforms", "required_platforms", "immutable_tags"];
    internal static readonly string[] RegistryKeys = ["url", "username_env", "password_env", "insecure", "send_stored_credentials_to"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvNamePattern();

    private sealed record Defaults(IReadOnlyList<Platform>? Platforms, IReadOnlyList<Platform> RequiredPlatforms, bool ImmutableTags);

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
            diagnostics.Error(At(e.Line, e.Column), "", yaml
                ? "this is not JSON but looks like kyma's external-images.yaml format: pass it with --images-file (SYNCER_IMAGES_FILE), not --config"
                : e.Message);
            return null;
        }
        if (root is not JsonObjectAt top)
        {
            diagnostics.Error(At(root), "", $"expected an object at the top level, got {root.KindName}");
            return null;
        }

        var fields = Fields(top, "", TopLevelKeys);
        var checkNewTags = fields.TryGetValue("check_new_tags", out var c) && Bool(c, "check_new_tags") == true;
        var maxTags = SyncConfig.DefaultMaxTagsToCheck;
        if (fields.TryGetValue("max_tags_to_check", out var m))
        {
            maxTags = PositiveInt(m, "max_tags_to_check") ?? maxTags;
        }
        if (fields.TryGetValue("sync_schedule", out var s))
        {
            String(s, "sync_schedule");
        }
        if (fields.TryGetValue("$schema", out var schema))
        {
            String(schema, "$schema");
        }
        var defaults = fields.TryGetValue("defaults", out var d) ? ReadDefaults(d) : new Defaults(null, [], false);
        var registries = fields.TryGetValue("registries", out var r) ? ReadRegistries(r) : new Dictionary<string, RegistryEndpoint>();
        var samples = fields.TryGetValue("upstream_samples", out var us) ? ReadSamples(us) : null;
        var trusted = fields.TryGetValue("trusted_upstreams", out var tu) ? ReadTrustedUpstreams(tu) : null;

        var images = new List<ImageSpec>();
        if (!fields.TryGetValue("images", out var imagesNode))
        {
            diagnostics.Error(At(top), "images", "missing required field \"images\"");
        }
        else if (imagesNode is not JsonArrayAt array)
        {
            diagnostics.Error(At(imagesNode), "images", $"expected an array of images, got {imagesNode.KindName}");
        }
        else
        {
            if (array.Items.Count == 0)
            {
                diagnostics.Warning(At(array), "images", "no images are configured");
            }
            for (var i = 0; i < array.Items.Count; i++)
            {
                if (ReadImage(array.Items[i], $"images[{i}]", defaults) is { } image)
                {
                    images.Add(image);
                }
            }
        }
        return new SyncConfig(displayPath, images, checkNewTags, maxTags, registries, samples, TrustedUpstreams: trusted);
    }

    private delegate bool Check(string text, out string error);

    /// <summary>A string field that must pass <paramref name="check"/>; null when absent or refused (the refusal is reported).</summary>
    private string? CheckedString(Dictionary<string, JsonNodeAt> fields, string key, string path, Check check)
    {
        if (!fields.TryGetValue(key, out var node) || String(node, path) is not { } text)
        {
            return null;
        }
        if (check(text, out var error))
        {
            return text;
        }
        diagnostics.Error(At(node), path, error);
        return null;
    }

    /// <summary>Registries (<c>registry.istio.io</c>) or repository prefixes (<c>docker.io/istio</c>) a followed move may point to.</summary>
    private List<string>? ReadTrustedUpstreams(JsonNodeAt node)
    {
        if (StringArray(node, "trusted_upstreams") is not { } items)
        {
            return null;
        }
        var trusted = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var (text, at) = items[i];
            if (!text.Contains('/', StringComparison.Ordinal) && Reference.TryParseRegistryName(text, out var registry, out _))
            {
                trusted.Add(registry);
            }
            else if (Reference.TryParse(text, out var reference, out _) && reference!.Tag is null && reference.Digest is null && text.Split('/')[0].Contains('.', StringComparison.Ordinal))
            {
                trusted.Add(reference.Name);
            }
            else
            {
                diagnostics.Error(At(at), $"trusted_upstreams[{i}]", $"\"{text}\" is neither a registry (registry.istio.io) nor a registry/repository prefix (docker.io/istio)");
            }
        }
        return trusted;
    }

    private ImageSpec? ReadImage(JsonNodeAt node, string path, Defaults defaults)
    {
        if (node is not JsonObjectAt obj)
        {
            diagnostics.Error(At(node), path, $"expected an image object, got {node.KindName}");
            return null;
        }
        var fields = Fields(obj, path, ImageKeys);
        var positions = fields.ToDictionary(f => f.Key, f => At(f.Value));
        var ok = true;

        string? name = null;
        if (Required(fields, obj, path, "name") is { } nameNode && String(nameNode, $"{path}.name") is { } n)
        {
            if (NamePattern().IsMatch(n))
            {
                name = n;
            }
            else
            {
                diagnostics.Error(At(nameNode), $"{path}.name", $"\"{n}\" is not a valid name (letters, digits, '.', '_' and '-', starting with a letter or digit)");
            }
        }
        var upstream = Repository(Required(fields, obj, path, "upstream"), $"{path}.upstream");
        var target = Repository(Required(fields, obj, path, "target"), $"{path}.target");

        var tags = new List<TagSpec>();
        if (Required(fields, obj, path, "tags") is { } tagsNode)
        {
            if (StringArray(tagsNode, $"{path}.tags") is { } tagItems)
            {
                if (tagItems.Count == 0)
                {
                    diagnostics.Error(At(tagsNode), $"{path}.tags", "at least one tag is required");
                    ok = false;
                }
                for (var i = 0; i < tagItems.Count; i++)
                {
                    var (tag, tagNode) = tagItems[i];
                    var tagPath = $"{path}.tags[{i}]";
                    if (!Reference.IsValidTag(tag))
                    {
                        diagnostics.Error(At(tagNode), tagPath, $"\"{tag}\" is not a valid tag");
                        ok = false;
                    }
                    else if (tags.Any(t => t.Target == tag))
                    {
                        diagnostics.Error(At(tagNode), tagPath, $"tag \"{tag}\" is listed twice");
                        ok = false;
                    }
                    else
                    {
                        tags.Add(new TagSpec(tag, tag, At(tagNode)));
                    }
                }
            }
            else
            {
                ok = false;
            }
        }

        var platforms = fields.TryGetValue("platforms", out var p) ? Platforms(p, $"{path}.platforms", allowEmpty: false) : defaults.Platforms;
        var required = fields.TryGetValue("required_platforms", out var rp) ? Platforms(rp, $"{path}.required_platforms", allowEmpty: true) ?? [] : defaults.RequiredPlatforms;
        var immutable = fields.TryGetValue("immutable_tags", out var im) ? Bool(im, $"{path}.immutable_tags") ?? false : defaults.ImmutableTags;
        var sample = fields.TryGetValue("sample", out var sm) ? SamplePath(sm, $"{path}.sample") : null;

        if (platforms is not null)
        {
            foreach (var missing in required.Where(r => !platforms.Any(x => x.Matches(r) || r.Matches(x))))
            {
                diagnostics.Error(positions.GetValueOrDefault("required_platforms") ?? At(obj), $"{path}.required_platforms", $"required platform {missing} is not among the platforms to copy ({string.Join(", ", platforms)})");
                ok = false;
            }
        }

        if (!ok || name is null || upstream is null || target is null)
        {
            return null;
        }
        return new ImageSpec(name, upstream, target, tags, platforms, required, immutable, new FieldPositions(path, At(obj), positions), sample);
    }

    private UpstreamSamples? ReadSamples(JsonNodeAt node)
    {
        if (node is not JsonObjectAt obj)
        {
            diagnostics.Error(At(node), "upstream_samples", $"expected an object, got {node.KindName}");
            return null;
        }
        var fields = Fields(obj, "upstream_samples", SamplesKeys);
        var defaults = UpstreamSamples.Default;
        var repository = CheckedString(fields, "repository", "upstream_samples.repository", Upstream.GitHubNames.IsRepository) ?? defaults.Repository;
        var reference = CheckedString(fields, "ref", "upstream_samples.ref", Upstream.GitHubNames.IsRefName) ?? defaults.Ref;
        var paths = defaults.Paths;
        if (fields.TryGetValue("paths", out var ps) && StringArray(ps, "upstream_samples.paths") is { } items)
        {
            var valid = items.Select((item, i) => SamplePath(item.Node, $"upstream_samples.paths[{i}]")).ToList();
            if (valid.All(v => v is not null) && valid.Count > 0)
            {
                paths = [.. valid.Select(v => v!)];
            }
        }
        return new UpstreamSamples(repository, reference, paths);
    }

    private string? SamplePath(JsonNodeAt node, string path)
    {
        if (String(node, path) is not { } text)
        {
            return null;
        }
        if (text.Length == 0 || text.StartsWith('/') || text.Split('/').Any(p => p == ".."))
        {
            diagnostics.Error(At(node), path, $"\"{text}\" is not a path inside the upstream repository (relative, no \"..\")");
            return null;
        }
        return text;
    }

    private Defaults ReadDefaults(JsonNodeAt node)
    {
        if (node is not JsonObjectAt obj)
        {
            diagnostics.Error(At(node), "defaults", $"expected an object, got {node.KindName}");
            return new Defaults(null, [], false);
        }
        var fields = Fields(obj, "defaults", DefaultsKeys);
        return new Defaults(
            fields.TryGetValue("platforms", out var p) ? Platforms(p, "defaults.platforms", allowEmpty: false) : null,
            fields.TryGetValue("required_platforms", out var r) ? Platforms(r, "defaults.required_platforms", allowEmpty: true) ?? [] : [],
            fields.TryGetValue("immutable_tags", out var i) && Bool(i, "defaults.immutable_tags") == true);
    }

    private Dictionary<string, RegistryEndpoint> ReadRegistries(JsonNodeAt node)
    {
        var result = new Dictionary<string, RegistryEndpoint>(StringComparer.OrdinalIgnoreCase);
        if (node is not JsonObjectAt obj)
        {
            diagnostics.Error(At(node), "registries", $"expected an object keyed by registry name, got {node.KindName}");
            return result;
        }
        foreach (var property in obj.Properties)
        {
            var path = $"registries.{property.Name}";
            if (!Reference.TryParseRegistryName(property.Name, out var key, out var nameError))
            {
                diagnostics.Error(At(property.Line, property.Column), path, nameError);
                continue;
            }
            if (property.Value is not JsonObjectAt entry)
            {
                diagnostics.Error(At(property.Value), path, $"expected an object, got {property.Value.KindName}");
                continue;
            }
            var fields = Fields(entry, path, RegistryKeys);
            Uri? url = null;
            if (fields.TryGetValue("url", out var u) && String(u, $"{path}.url") is { } text)
            {
                if (!Reference.TryParseRegistryUrl(text, out url, out var error))
                {
                    diagnostics.Error(At(u), $"{path}.url", error);
                }
            }
            var user = EnvName(fields, path, "username_env");
            var password = EnvName(fields, path, "password_env");
            if ((user is null) != (password is null))
            {
                diagnostics.Error(At(entry), path, "username_env and password_env go together");
            }
            var insecure = fields.TryGetValue("insecure", out var i) && Bool(i, $"{path}.insecure") == true;
            Uri? storedTo = null;
            if (fields.TryGetValue("send_stored_credentials_to", out var st) && String(st, $"{path}.send_stored_credentials_to") is { } bound
                && !Reference.TryParseRegistryUrl(bound, out storedTo, out var boundError))
            {
                diagnostics.Error(At(st), $"{path}.send_stored_credentials_to", boundError);
            }
            if (!result.TryAdd(key, new RegistryEndpoint(key, url, user, password, insecure, storedTo)))
            {
                diagnostics.Error(At(property.Line, property.Column), path, $"registry \"{key}\" is configured twice");
            }
        }
        return result;
    }

    private string? EnvName(Dictionary<string, JsonNodeAt> fields, string path, string key)
    {
        if (!fields.TryGetValue(key, out var node) || String(node, $"{path}.{key}") is not { } name)
        {
            return null;
        }
        if (!EnvNamePattern().IsMatch(name))
        {
            diagnostics.Error(At(node), $"{path}.{key}", $"\"{name}\" is not an environment variable name; name the variable that holds the secret, never the secret itself");
            return null;
        }
        return name;
    }

    private Reference? Repository(JsonNodeAt? node, string path)
    {
        if (node is null || String(node, path) is not { } text)
        {
            return null;
        }
        if (!Reference.TryParse(text, out var reference, out var error))
        {
            diagnostics.Error(At(node), path, error);
            return null;
        }
        if (reference!.Tag is not null || reference.Digest is not null)
        {
            diagnostics.Error(At(node), path, $"\"{text}\" must name a repository without a tag or digest (list tags under \"tags\")");
            return null;
        }
        return reference;
    }

    private List<Platform>? Platforms(JsonNodeAt node, string path, bool allowEmpty)
    {
        if (StringArray(node, path) is not { } items)
        {
            return null;
        }
        if (items.Count == 0 && !allowEmpty)
        {
            diagnostics.Error(At(node), path, "an empty platform list copies nothing; leave the field out to copy every platform");
            return null;
        }
        var platforms = new List<Platform>();
        for (var i = 0; i < items.Count; i++)
        {
            var (text, itemNode) = items[i];
            if (!Platform.TryParse(text, out var platform, out var error))
            {
                diagnostics.Error(At(itemNode), $"{path}[{i}]", error);
            }
            else if (platforms.Contains(platform!))
            {
                diagnostics.Error(At(itemNode), $"{path}[{i}]", $"platform {platform} is listed twice");
            }
            else
            {
                platforms.Add(platform!);
            }
        }
        return platforms.Count == items.Count ? platforms : null;
    }

    private Dictionary<string, JsonNodeAt> Fields(JsonObjectAt obj, string path, string[] known) =>
        diagnostics.Fields(obj.Properties.Select(p => (p.Name, At(p.Line, p.Column), p.Value)), path, known);

    private JsonNodeAt? Required(Dictionary<string, JsonNodeAt> fields, JsonObjectAt obj, string path, string key)
    {
        if (fields.TryGetValue(key, out var node))
        {
            return node;
        }
        diagnostics.Error(At(obj), $"{path}.{key}", $"missing required field \"{key}\"");
        return null;
    }

    private string? String(JsonNodeAt node, string path)
    {
        if (node is JsonScalarAt { Token: JsonTokenType.String, Text: { } text })
        {
            return text;
        }
        diagnostics.Error(At(node), path, $"expected a string, got {node.KindName}");
        return null;
    }

    private bool? Bool(JsonNodeAt node, string path)
    {
        if (node is JsonScalarAt { Token: JsonTokenType.True or JsonTokenType.False } scalar)
        {
            return scalar.Token == JsonTokenType.True;
        }
        diagnostics.Error(At(node), path, $"expected true or false, got {node.KindName}");
        return null;
    }

    private int? PositiveInt(JsonNodeAt node, string path)
    {
        if (node is JsonScalarAt { Token: JsonTokenType.Number } scalar && int.TryParse(scalar.Raw, out var value) && value > 0)
        {
            return value;
        }
        diagnostics.Error(At(node), path, $"expected a whole number greater than 0, got {(node is JsonScalarAt s ? s.Raw : node.KindName)}");
        return null;
    }

    private List<(string Text, JsonNodeAt Node)>? StringArray(JsonNodeAt node, string path)
    {
        if (node is not JsonArrayAt array)
        {
            diagnostics.Error(At(node), path, $"expected an array of strings, got {node.KindName}");
            return null;
        }
        var result = new List<(string, JsonNodeAt)>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            if (String(array.Items[i], $"{path}[{i}]") is { } text)
            {
                result.Add((text, array.Items[i]));
            }
        }
        return result.Count == array.Items.Count ? result : null;
    }

    private SourcePosition At(JsonNodeAt node) => At(node.Line, node.Column);

    private SourcePosition At(int line, int column) => new(displayPath, line, column);
}
