namespace ImageSync.Config;

/// <summary>Rules across entries, the same for every file format.</summary>
public static class ConfigChecks
{
    /// <summary>Tags that move by design; AutoUpdate never replaces them and immutability makes them odd.</summary>
    public static readonly string[] FloatingTags = ["latest", "main", "master", "edge", "nightly", "stable"];

    internal static void Run(SyncConfig config, DiagnosticBag diagnostics)
    {
        var names = new Dictionary<string, ImageSpec>(StringComparer.Ordinal);
        var targetTags = new Dictionary<string, (ImageSpec Image, TagSpec Tag)>(StringComparer.Ordinal);
        foreach (var image in config.Images)
        {
            var path = image.Positions.Path;
            if (!names.TryAdd(image.Name, image))
            {
                var nameField = image.Positions.NameField;
                diagnostics.Error(image.Positions.Of(nameField), $"{path}.{nameField}", $"duplicate image name \"{image.Name}\" (first at {names[image.Name].Positions.Of(nameField)})");
                continue;
            }
            if (image.Upstream.Name == image.Target.Name)
            {
                diagnostics.Error(image.Positions.Of(image.Positions.TargetField), $"{path}.{image.Positions.TargetField}", $"target \"{image.Target.Name}\" is the same repository as upstream");
            }
            LayoutChecks(image, diagnostics);
            foreach (var tag in image.Tags)
            {
                var key = $"{image.Target.Name}:{tag.Target}";
                if (targetTags.TryGetValue(key, out var first))
                {
                    if (!ReferenceEquals(first.Image, image))
                    {
                        diagnostics.Error(tag.Position, $"{path}.tags", $"\"{key}\" is also written by \"{first.Image.Name}\" (at {first.Tag.Position})");
                    }
                }
                else
                {
                    targetTags[key] = (image, tag);
                }
                if (image.ImmutableTags && FloatingTags.Contains(tag.Target))
                {
                    diagnostics.Warning(tag.Position, $"{path}.tags", $"\"{tag.Target}\" is a floating tag but the image is immutable: it is copied once and never updated");
                }
            }
        }
    }

    /// <summary>An ocidir:// upstream or target, checked on disk before any run (Layout/LayoutFolderCheck).</summary>
    private static void LayoutChecks(ImageSpec image, DiagnosticBag diagnostics)
    {
        var upstreamField = image.Positions.NameField == "source" ? "source" : "upstream";
        foreach (var (reference, field, target) in new[] { (image.Upstream, upstreamField, false), (image.Target, image.Positions.TargetField, true) })
        {
            if (reference.Layout is { } path && Layout.LayoutFolderCheck.Problem(path, target) is { } problem)
            {
                diagnostics.Error(image.Positions.Of(field), $"{image.Positions.Path}.{field}", problem);
            }
        }
    }
}
