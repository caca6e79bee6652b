using ImageSync.References;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Config;

/// <summary>
/// Reads kyma's <c>external-images.yaml</c> (<c>images: [{source, tag, amd64Only}]</c>) into the common model.
/// Its rules: the target is the prefix plus the source path (one-word names get <c>library/</c>), a digest source
/// needs <c>tag</c>, <c>tag</c> on a tag source retags, every tag is immutable, and <c>amd64Only</c> copies
/// only linux/amd64.
/// </summary>
internal sealed class ExternalImagesReader(string displayPath, string? prefixFromCommandLine, DiagnosticBag diagnostics)
{
    internal static readonly string[] TopLevelKeys = ["images", "targetRepoPrefix"];
    internal static readonly string[] ImageKeys = ["source", "tag", "amd64Only"];

    public SyncConfig? Read(string content)
    {
        YamlStream stream;
        try
        {
            stream = BoundedYaml.Load(content);
        }
        catch (YamlException e)
        {
            diagnostics.Error(At(e.Start), "", "invalid YAML: " + BoundedYaml.Describe(e));
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            diagnostics.Error(node is null ? new SourcePosition(displayPath, 1, 1) : At(node.Start), "", "expected a mapping with an \"images\" list at the top level");
            return null;
        }

        var fields = Fields(root, "", TopLevelKeys);
        var prefix = prefixFromCommandLine;
        if (fields.TryGetValue("targetRepoPrefix", out var prefixNode) && Scalar(prefixNode, "targetRepoPrefix") is { } filePrefix)
        {
            prefix ??= filePrefix;
        }
        if (string.IsNullOrWhiteSpace(prefix))
        {
            diagnostics.Error(At(root.Start), "targetRepoPrefix", "no target repository prefix: pass --target-repo-prefix (env SYNCER_TARGET_REPO_PREFIX) or set targetRepoPrefix in the file");
            return null;
        }
        prefix = prefix.TrimEnd('/');

        var images = new List<ImageSpec>();
        if (!fields.TryGetValue("images", out var imagesNode))
        {
            diagnostics.Error(At(root.Start), "images", "missing required field \"images\"");
        }
        else if (imagesNode is not YamlSequenceNode sequence)
        {
            diagnostics.Error(At(imagesNode.Start), "images", "expected a list of images");
        }
        else
        {
            var index = 0;
            foreach (var item in sequence)
            {
                if (ReadImage(item, $"images[{index++}]", prefix) is { } image)
                {
                    images.Add(image);
                }
            }
        }
        var prefixRegistry = Reference.TryParse(prefix + "/x", out var probe, out _) ? probe!.Registry : null;
        return new SyncConfig(displayPath, images, CheckNewTags: false, SyncConfig.DefaultMaxTagsToCheck, new Dictionary<string, RegistryEndpoint>(), SyncerTargetRegistry: prefixRegistry);
    }

    private ImageSpec? ReadImage(YamlNode node, string path, string prefix)
    {
        if (node is not YamlMappingNode map)
        {
            diagnostics.Error(At(node.Start), path, "expected a mapping with \"source\"");
            return null;
        }
        var fields = Fields(map, path, ImageKeys);
        var positions = fields.ToDictionary(f => f.Key, f => At(f.Value.Start));
        if (!fields.TryGetValue("source", out var sourceNode))
        {
            diagnostics.Error(At(map.Start), $"{path}.source", "missing required field \"source\"");
            return null;
        }
        if (Scalar(sourceNode, $"{path}.source") is not { } source)
        {
            return null;
        }
        if (!Reference.TryParseLocation(source, out var reference, out var error))
        {
            diagnostics.Error(At(sourceNode.Start), $"{path}.source", error);
            return null;
        }

        string? tag = null;
        if (fields.TryGetValue("tag", out var tagNode) && Scalar(tagNode, $"{path}.tag") is { } t)
        {
            if (!Reference.IsValidTag(t))
            {
                diagnostics.Error(At(tagNode.Start), $"{path}.tag", $"\"{t}\" is not a valid tag");
                return null;
            }
            tag = t;
        }
        var amd64Only = false;
        if (fields.TryGetValue("amd64Only", out var amdNode) && Scalar(amdNode, $"{path}.amd64Only") is { } amd)
        {
            if (!bool.TryParse(amd, out amd64Only))
            {
                diagnostics.Error(At(amdNode.Start), $"{path}.amd64Only", $"expected true or false, got \"{amd}\"");
                return null;
            }
        }

        TagSpec tagSpec;
        if (reference!.Digest is { } digest)
        {
            if (tag is null && reference.Tag is null)
            {
                diagnostics.Error(At(sourceNode.Start), $"{path}.tag", $"source \"{source}\" is given by digest, so \"tag\" is required to name the target tag");
                return null;
            }
            tagSpec = new TagSpec(digest.ToString(), tag ?? reference.Tag!, At(sourceNode.Start));
        }
        else
        {
            var sourceTag = reference.Tag;
            if (sourceTag is null)
            {
                diagnostics.Warning(At(sourceNode.Start), $"{path}.source", $"source \"{source}\" has no tag; \"latest\" is used, and it is immutable in this format");
                sourceTag = "latest";
            }
            tagSpec = new TagSpec(sourceTag, tag ?? sourceTag, At(tagNode?.Start ?? sourceNode.Start));
        }

        var target = TargetFor(source, prefix, sourceNode, path);
        if (target is null)
        {
            return null;
        }
        return new ImageSpec(
            Name: source,
            Upstream: reference.NameOnly(),
            Target: target,
            Tags: [tagSpec],
            Platforms: amd64Only ? [Platform.LinuxAmd64] : null,
            RequiredPlatforms: [],
            ImmutableTags: true,
            new FieldPositions(path, At(map.Start), positions, NameField: "source", TargetField: "source"));
    }

    /// <summary>kyma's rule: prefix + the source as written, less tag and digest; a bare name goes under library/.</summary>
    private Reference? TargetFor(string source, string prefix, YamlNode sourceNode, string path)
    {
        // A layout's target is the prefix plus its path as written (ocidir://disk/istio/pilot:1.24 -> PREFIX/disk/istio/pilot).
        var name = (source.StartsWith(LayoutReference.Scheme, StringComparison.Ordinal) ? source[LayoutReference.Scheme.Length..].TrimStart('.', '/') : source).Split('@')[0];
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            name = name[..colon];
        }
        if (!name.Contains('/', StringComparison.Ordinal))
        {
            name = "library/" + name;
        }
        var text = $"{prefix}/{name}";
        if (!Reference.TryParseLocation(text, out var target, out var error))
        {
            diagnostics.Error(At(sourceNode.Start), $"{path}.source", $"target \"{text}\" made from the prefix is not valid: {error}");
            return null;
        }
        return target;
    }

    private Dictionary<string, YamlNode> Fields(YamlMappingNode map, string path, string[] known) =>
        diagnostics.Fields(map.Children.Select(c => ((c.Key as YamlScalarNode)?.Value ?? "", At(c.Key.Start), c.Value)), path, known);

    private string? Scalar(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }
        diagnostics.Error(At(node.Start), path, node is YamlScalarNode ? "expected a value, got nothing" : "expected a single value");
        return null;
    }

    private SourcePosition At(Mark mark) => new(displayPath, (int)mark.Line, (int)mark.Column);
}
