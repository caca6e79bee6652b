using ImageSync.References;

namespace ImageSync.Config;

/// <summary>Reads the sections of <c>image-sync-config.json</c> beside the images: registries, upstream_samples, trusted_upstreams.</summary>
internal sealed class JsonSectionReader(JsonValues values)
{
    internal static readonly string[] SamplesKeys = ["repository", "ref", "paths", "files"];
    internal static readonly string[] RegistryKeys = ["url", "username_env", "password_env", "insecure", "send_stored_credentials_to"];

    private DiagnosticBag Diagnostics => values.Diagnostics;

    /// <summary>Registries (<c>registry.istio.io</c>) or repository prefixes (<c>docker.io/istio</c>) a followed move may point to.</summary>
    public List<string>? ReadTrustedUpstreams(JsonNodeAt node)
    {
        if (values.StringArray(node, "trusted_upstreams") is not { } items)
        {
            return null;
        }
        var trusted = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var (text, at) = items[i];
            if (RegistryPrefix(text) is { } prefix)
            {
                trusted.Add(prefix);
            }
            else
            {
                values.Error(at, $"trusted_upstreams[{i}]", $"\"{text}\" is neither a registry (registry.istio.io) nor a registry/repository prefix (docker.io/istio)");
            }
        }
        return trusted;
    }

    /// <summary>A registry (<c>quay.io</c>) or a registry/repository prefix (<c>quay.io/sail-dev</c>), normalised; null when it is neither.</summary>
    public static string? RegistryPrefix(string text)
    {
        if (!text.Contains('/', StringComparison.Ordinal) && Reference.TryParseRegistryName(text, out var registry, out _))
        {
            return registry;
        }
        if (Reference.TryParse(text, out var reference, out _) && reference!.Tag is null && reference.Digest is null && text.Split('/')[0].Contains('.', StringComparison.Ordinal))
        {
            return reference.Name;
        }
        return null;
    }

    public UpstreamSampleSource? ReadSamples(JsonNodeAt node)
    {
        if (values.Object(node, "upstream_samples") is not { } obj)
        {
            return null;
        }
        var fields = values.Fields(obj, "upstream_samples", SamplesKeys);
        var defaults = UpstreamSampleSource.Default;
        var repository = values.CheckedString(fields, "repository", "upstream_samples.repository", Upstream.GitHubNames.IsRepository) ?? defaults.Repository;
        var reference = values.CheckedString(fields, "ref", "upstream_samples.ref", Upstream.GitHubNames.IsRefName) ?? defaults.Ref;
        var paths = defaults.Paths;
        if (fields.TryGetValue("paths", out var ps) && values.StringArray(ps, "upstream_samples.paths") is { } items)
        {
            var valid = items.Select((item, i) => values.RelativePath(item.Node, $"upstream_samples.paths[{i}]", "the upstream repository")).ToList();
            if (valid.All(v => v is not null) && valid.Count > 0)
            {
                paths = [.. valid.Select(v => v!)];
            }
        }
        var files = fields.TryGetValue("files", out var fs) ? ReadFiles(fs) : null;
        return new UpstreamSampleSource(repository, reference, paths, files);
    }

    /// <summary><c>"files": { "vendored/path.yaml": "upstream/path.yaml" }</c>: both relative, each vendored file once.</summary>
    private List<VendoredFile>? ReadFiles(JsonNodeAt node)
    {
        if (values.Object(node, "upstream_samples.files", "an object mapping each vendored file to its upstream path") is not { } obj)
        {
            return null;
        }
        var files = new List<VendoredFile>();
        foreach (var property in obj.Properties)
        {
            var path = $"upstream_samples.files.{property.Name}";
            var at = values.At(property.Line, property.Column);
            if (!JsonValues.IsRelativePath(property.Name) || property.Name.EndsWith('/'))
            {
                Diagnostics.Error(at, path, $"\"{Output.Untrusted.Line(property.Name, 100)}\" is not a file inside this repository (relative to the configuration's folder, no \"..\")");
                continue;
            }
            if (values.RelativePath(property.Value, path, "the upstream repository") is not { } upstream)
            {
                continue;
            }
            if (files.FirstOrDefault(f => f.Path == property.Name) is { } first)
            {
                Diagnostics.Error(at, path, $"\"{property.Name}\" is mapped twice (first at {first.Position})");
                continue;
            }
            files.Add(new VendoredFile(property.Name, upstream, at));
        }
        return files;
    }

    public Dictionary<string, RegistryEndpoint> ReadRegistries(JsonNodeAt node)
    {
        var result = new Dictionary<string, RegistryEndpoint>(StringComparer.OrdinalIgnoreCase);
        if (values.Object(node, "registries", "an object keyed by registry name") is not { } obj)
        {
            return result;
        }
        foreach (var property in obj.Properties)
        {
            var path = $"registries.{property.Name}";
            if (!Reference.TryParseRegistryName(property.Name, out var key, out var nameError))
            {
                Diagnostics.Error(values.At(property.Line, property.Column), path, nameError);
                continue;
            }
            if (values.Object(property.Value, path) is not { } entry)
            {
                continue;
            }
            var fields = values.Fields(entry, path, RegistryKeys);
            Uri? url = null;
            if (fields.TryGetValue("url", out var u) && values.String(u, $"{path}.url") is { } text)
            {
                if (!Reference.TryParseRegistryUrl(text, out url, out var error))
                {
                    values.Error(u, $"{path}.url", error);
                }
            }
            var user = EnvName(fields, path, "username_env");
            var password = EnvName(fields, path, "password_env");
            if ((user is null) != (password is null))
            {
                values.Error(entry, path, "username_env and password_env go together");
            }
            var insecure = fields.TryGetValue("insecure", out var i) && values.Bool(i, $"{path}.insecure") == true;
            Uri? storedTo = null;
            if (fields.TryGetValue("send_stored_credentials_to", out var st) && values.String(st, $"{path}.send_stored_credentials_to") is { } bound
                && !Reference.TryParseRegistryUrl(bound, out storedTo, out var boundError))
            {
                values.Error(st, $"{path}.send_stored_credentials_to", boundError);
            }
            if (!result.TryAdd(key, new RegistryEndpoint(key, url, user, password, insecure, storedTo)))
            {
                Diagnostics.Error(values.At(property.Line, property.Column), path, $"registry \"{key}\" is configured twice");
            }
        }
        return result;
    }

    private string? EnvName(Dictionary<string, JsonNodeAt> fields, string path, string key)
    {
        if (!fields.TryGetValue(key, out var node) || values.String(node, $"{path}.{key}") is not { } name)
        {
            return null;
        }
        if (!EnvironmentVariableName.IsValid(name))
        {
            values.Error(node, $"{path}.{key}", $"\"{name}\" is not an environment variable name; name the variable that holds the secret, never the secret itself");
            return null;
        }
        return name;
    }
}
