using ImageSync.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Kustomize;

/// <summary>
/// Finds the image values that kustomize v5's images transformer rewrites, in every document of a resource file.
/// kustomize runs two passes per <c>images:</c> entry (api/internal/builtins/ImageTagTransformer.go):
/// <list type="bullet">
/// <item>the legacy filter (api/filters/imagetag/legacy.go): under any field named <c>containers</c> or
/// <c>initContainers</c>, at any depth and in any kind, each list element's scalar <c>image</c>, except in a
/// CustomResourceDefinition;</item>
/// <item>the field specs (api/internal/konfig/builtinpluginconsts/images.go): <c>spec/containers[]/image</c>,
/// <c>spec/initContainers[]/image</c> and the same under <c>spec/template/spec/</c>.</item>
/// </list>
/// <c>ephemeralContainers</c>, image volumes (<c>volumes[].image.reference</c>) and any other <c>image:</c> are left
/// alone by kustomize v5.5, and so here. A <c>List</c> (any kind ending in List, with <c>items</c>) is its items.
/// Each rule was checked with kubectl kustomize (KustomizeDifferentialTests).
/// </summary>
public static class ResourceImageFinder
{
    private static readonly string[] ContainerFields = ["containers", "initContainers"];

    private static readonly string[][] FieldSpecs =
    [
        ["spec", "containers"], ["spec", "initContainers"],
        ["spec", "template", "spec", "containers"], ["spec", "template", "spec", "initContainers"],
    ];

    /// <exception cref="KustomizeException">Not YAML, or over a <see cref="BoundedYaml"/> limit (kustomize fails on it too).</exception>
    public static IReadOnlyList<ResourceImage> Find(string displayFile, string content)
    {
        YamlStream stream;
        try
        {
            stream = BoundedYaml.Load(content);
        }
        catch (YamlException e)
        {
            throw new KustomizeException(new SourcePosition(displayFile, (int)e.Start.Line, (int)e.Start.Column), $"not a YAML resource ({Output.Untrusted.Line(e.Message, 120)})", e);
        }
        var found = new List<ResourceImage>();
        foreach (var document in stream.Documents)
        {
            Resource(document.RootNode, displayFile, found);
        }
        return found;
    }

    private static void Resource(YamlNode node, string file, List<ResourceImage> found)
    {
        if (node is not YamlMappingNode resource)
        {
            return;
        }
        var kind = Scalar(resource, "kind");
        if (kind is not null && kind.EndsWith("List", StringComparison.Ordinal) && resource.Children.TryGetValue(new YamlScalarNode("items"), out var items) && items is YamlSequenceNode list)
        {
            foreach (var item in list)
            {
                Resource(item, file, found);
            }
            return;
        }
        if (kind == "CustomResourceDefinition")
        {
            return;
        }
        Walk(resource, [], file, found);
    }

    private static void Walk(YamlNode node, List<string> path, string file, List<ResourceImage> found)
    {
        if (node is YamlSequenceNode sequence)
        {
            foreach (var item in sequence)
            {
                Walk(item, path, file, found);
            }
            return;
        }
        if (node is not YamlMappingNode mapping)
        {
            return;
        }
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            path.Add(key);
            Walk(value, path, file, found);
            if (ContainerFields.Contains(key) && value is YamlSequenceNode containers)
            {
                var passes = FieldSpecs.Any(spec => spec.SequenceEqual(path)) ? 2 : 1;
                foreach (var container in containers)
                {
                    if (container is YamlMappingNode c && c.Children.TryGetValue(new YamlScalarNode("image"), out var image) && image is YamlScalarNode scalar)
                    {
                        found.Add(new ResourceImage(scalar.Value ?? "", new SourcePosition(file, (int)scalar.Start.Line, (int)scalar.Start.Column), passes));
                    }
                }
            }
            path.RemoveAt(path.Count - 1);
        }
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { } text } ? text : null;
}
