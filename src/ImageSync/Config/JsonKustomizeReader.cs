namespace ImageSync.Config;

/// <summary>Reads the <c>kustomize</c> section: <c>{ "paths": ["tests/e2e/samples/"], "targets": ["quay.io/sail-dev/"] }</c>.</summary>
internal sealed class JsonKustomizeReader(JsonValues values)
{
    internal static readonly string[] KustomizeKeys = ["paths", "targets"];

    public KustomizeSettings? Read(JsonNodeAt node)
    {
        if (values.Object(node, "kustomize") is not { } obj)
        {
            return null;
        }
        var fields = values.Fields(obj, "kustomize", KustomizeKeys);
        var paths = new List<string>();
        var positions = new List<SourcePosition>();
        var ok = true;
        if (values.Required(fields, obj, "kustomize", "paths") is { } pathsNode && values.StringArray(pathsNode, "kustomize.paths") is { } pathItems)
        {
            if (pathItems.Count == 0)
            {
                values.Error(pathsNode, "kustomize.paths", "name at least one folder holding a kustomization.yaml, or a folder of such folders");
                ok = false;
            }
            for (var i = 0; i < pathItems.Count; i++)
            {
                var (text, itemNode) = pathItems[i];
                if (text != "." && values.RelativePath(itemNode, $"kustomize.paths[{i}]", "this repository (relative to the configuration's folder)") is null)
                {
                    ok = false;
                    continue;
                }
                paths.Add(text.TrimEnd('/'));
                positions.Add(values.At(itemNode));
            }
        }
        else
        {
            ok = false;
        }
        var targets = new List<string>();
        if (values.Required(fields, obj, "kustomize", "targets") is { } targetsNode && values.StringArray(targetsNode, "kustomize.targets") is { } targetItems)
        {
            if (targetItems.Count == 0)
            {
                values.Error(targetsNode, "kustomize.targets", "name at least one target prefix that is ours to write, e.g. quay.io/sail-dev/");
                ok = false;
            }
            for (var i = 0; i < targetItems.Count; i++)
            {
                var (text, itemNode) = targetItems[i];
                if (KustomizeSettings.ParseTarget(text) is { } prefix)
                {
                    targets.Add(prefix);
                }
                else
                {
                    values.Error(itemNode, $"kustomize.targets[{i}]", $"\"{text}\" is neither a registry (quay.io) nor a registry/repository prefix (quay.io/sail-dev/)");
                    ok = false;
                }
            }
        }
        else
        {
            ok = false;
        }
        return ok ? new KustomizeSettings(paths, targets, values.At(obj), positions) : null;
    }

}
