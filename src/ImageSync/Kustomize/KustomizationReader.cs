using ImageSync.Common;
using ImageSync.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Kustomize;

/// <summary>
/// Reads one kustomization file as kustomize v5 does for what concerns images: unknown fields are errors (kustomize
/// is strict), <c>resources</c> and the deprecated <c>bases</c> are resources in order, <c>images</c> and the
/// deprecated <c>imageTags</c> are image transforms in order. Fields that could change an image in ways imagesync does
/// not model (patches, replacements, components, generators and transformer plugins, custom configurations, Helm) are
/// refused with their position, rather than guessed at; fields that cannot touch an image field are accepted.
/// </summary>
public static class KustomizationReader
{
    /// <summary>The file names kustomize looks for in a folder, in its order.</summary>
    public static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    private static readonly string[] Ignored =
    [
        "apiVersion", "kind", "metadata", "namePrefix", "nameSuffix", "namespace", "commonLabels", "labels", "commonAnnotations",
        "replicas", "sortOptions", "buildMetadata", "crds", "openapi", "generatorOptions", "configMapGenerator", "secretGenerator", "vars",
    ];

    private static readonly string[] Refused =
    [
        "patches", "patchesStrategicMerge", "patchesJson6902", "replacements", "components", "configurations", "generators",
        "transformers", "validators", "helmCharts", "helmGlobals", "helmChartInflationGenerator",
    ];

    private static readonly string[] ImageKeys = ["name", "newName", "newTag", "digest", "tagSuffix"];

    /// <summary>The kustomization file in <paramref name="folder"/>; null when there is none.</summary>
    /// <exception cref="KustomizeException">More than one, as kustomize refuses.</exception>
    public static string? FindFile(string folder, SourcePosition referencedAt)
    {
        // The names as the folder holds them, so a case-insensitive file system does not see one file three times.
        var found = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder).Where(f => FileNames.Contains(Path.GetFileName(f), StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
        if (found.Count > 1)
        {
            throw new KustomizeException(referencedAt, $"found several kustomization files in {folder} ({string.Join(", ", found.Select(Path.GetFileName))}); kustomize refuses that too");
        }
        return found.FirstOrDefault();
    }

    /// <exception cref="KustomizeException">Not YAML, over a bound, or a field kustomize would refuse or imagesync cannot model.</exception>
    public static Kustomization Read(string displayFile, string folder, string content)
    {
        YamlStream stream;
        try
        {
            stream = BoundedYaml.Load(content);
        }
        catch (YamlException e)
        {
            throw new KustomizeException(new SourcePosition(displayFile, (int)e.Start.Line, (int)e.Start.Column), $"not a kustomization: {FirstSentence(e)}", e);
        }
        SourcePosition At(YamlNode node) => new(displayFile, (int)node.Start.Line, (int)node.Start.Column);
        if (stream.Documents.Count > 1)
        {
            throw new KustomizeException(At(stream.Documents[1].RootNode), "a kustomization is one YAML document; this file holds several");
        }
        var resources = new List<KustomizationResource>();
        var images = new List<ImageTransform>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new Kustomization(displayFile, folder, resources, images);
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new KustomizeException(At(stream.Documents[0].RootNode), "a kustomization is a mapping of fields (resources:, images:, ...)");
        }
        // A key given twice is refused by YamlDotNet while loading (kustomize would take the last one).
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            switch (key)
            {
                case "resources" or "bases":
                    resources.AddRange(Strings(value, key, At).Select(s => new KustomizationResource(s.Text, s.At)));
                    break;
                case "images" or "imageTags":
                    images.AddRange(Images(value, key, At));
                    break;
                case "kind" when value is YamlScalarNode { Value: { } kind } && kind != "Kustomization":
                    throw new KustomizeException(At(value), $"kind {Output.Untrusted.Line(kind, 60)}: imagesync reads kind Kustomization only (a Component is refused, as components: is)");
                case var _ when Ignored.Contains(key):
                    break;
                case var _ when Refused.Contains(key):
                    throw new KustomizeException(At(keyNode), $"{key}: imagesync does not apply {key} (it could change image references); derive images from resources and images: only, or mirror such an image with an \"images\" entry");
                default:
                    throw new KustomizeException(At(keyNode), $"unknown field \"{Output.Untrusted.Line(key, 60)}\"{Suggestions.DidYouMean(key, [.. Ignored, .. Refused, "resources", "images"])}; kustomize refuses it too");
            }
        }
        return new Kustomization(displayFile, folder, resources, images);
    }

    private static List<(string Text, SourcePosition At)> Strings(YamlNode value, string key, Func<YamlNode, SourcePosition> at)
    {
        if (value is YamlScalarNode { Value: null or "" } && YamlScalars.KindOf((YamlScalarNode)value) == "null")
        {
            return [];
        }
        if (value is not YamlSequenceNode sequence)
        {
            throw new KustomizeException(at(value), $"{key}: expected a list of paths");
        }
        var result = new List<(string, SourcePosition)>();
        foreach (var item in sequence)
        {
            if (item is not YamlScalarNode { Value: { Length: > 0 } text })
            {
                throw new KustomizeException(at(item), $"{key}: expected a path (a file, a folder or a URL)");
            }
            result.Add((text, at(item)));
        }
        return result;
    }

    private static List<ImageTransform> Images(YamlNode value, string key, Func<YamlNode, SourcePosition> at)
    {
        if (value is YamlScalarNode scalar && YamlScalars.KindOf(scalar) == "null")
        {
            return [];
        }
        if (value is not YamlSequenceNode sequence)
        {
            throw new KustomizeException(at(value), $"{key}: expected a list of entries (name:, newName:, newTag:, digest:)");
        }
        var result = new List<ImageTransform>();
        foreach (var item in sequence)
        {
            if (item is not YamlMappingNode entry)
            {
                throw new KustomizeException(at(item), $"{key}: expected an entry with name:, newName:, newTag: or digest:");
            }
            var fields = new Dictionary<string, (string Text, SourcePosition At)>(StringComparer.Ordinal);
            foreach (var (k, v) in entry.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? "";
                if (!ImageKeys.Contains(name))
                {
                    throw new KustomizeException(at(k), $"{key}: unknown field \"{Output.Untrusted.Line(name, 60)}\"{Suggestions.DidYouMean(name, ImageKeys)}; kustomize refuses it too");
                }
                if (v is not YamlScalarNode s)
                {
                    throw new KustomizeException(at(v), $"{key}: {name} must be a string");
                }
                var kind = YamlScalars.KindOf(s);
                if (kind is "a number" or "a boolean")
                {
                    throw new KustomizeException(at(v), $"{key}: {name}: {s.Value} is {kind} in YAML, not a string; quote it (\"{s.Value}\"), kustomize refuses it unquoted");
                }
                if (!fields.TryAdd(name, (kind == "null" ? "" : s.Value ?? "", at(v))))
                {
                    throw new KustomizeException(at(k), $"{key}: field \"{name}\" is given twice");
                }
            }
            string Get(string field) => fields.TryGetValue(field, out var f) ? f.Text : "";
            result.Add(new ImageTransform(Get("name"), Get("newName"), Get("newTag"), Get("digest"), Get("tagSuffix"), at(entry),
                fields.TryGetValue("name", out var n) ? n.At : at(entry)));
        }
        return result;
    }

    private static string FirstSentence(YamlException e)
    {
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return (cut > 0 ? message[(cut + 3)..] : message).Split('.')[0];
    }
}
