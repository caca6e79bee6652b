using ImageSync.References;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Upstream;

/// <summary>
/// Finds container image references with a YAML parser, not a regex: every document of a file, every mapping key
/// <c>image</c> whose value is a scalar, quoted or not, with comments ignored. A file that is not YAML (a Helm
/// template) is skipped with a note.
/// </summary>
public static class ImageExtractor
{
    public static ExtractionResult Extract(IEnumerable<UpstreamFile> files)
    {
        var images = new List<ImageOccurrence>();
        var notes = new List<string>();
        foreach (var file in files)
        {
            YamlStream stream;
            try
            {
                stream = Config.BoundedYaml.Load(file.Content);
            }
            catch (Config.YamlLimitException e)
            {
                notes.Add($"{file.Path}:{e.Start.Line}: skipped, {FirstSentence(e)}");
                continue;
            }
            catch (YamlException e)
            {
                notes.Add($"{file.Path}: skipped, not YAML ({FirstSentence(e)}; a template?)");
                continue;
            }
            foreach (var document in stream.Documents)
            {
                Walk(document.RootNode, file, images, notes);
            }
        }
        return new ExtractionResult(images, notes);
    }

    private static void Walk(YamlNode node, UpstreamFile file, List<ImageOccurrence> images, List<string> notes)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: "image" } && value is YamlScalarNode { Value: { Length: > 0 } text } scalar)
                    {
                        if (Reference.TryParse(text, out var reference, out _))
                        {
                            images.Add(new ImageOccurrence(file.Path, (int)scalar.Start.Line, (int)scalar.Start.Column, text, reference!, $"{file.WebUrl}#L{scalar.Start.Line}"));
                        }
                        else
                        {
                            notes.Add($"{file.Path}:{scalar.Start.Line}: \"{Output.Untrusted.Line(text, 100)}\" is not an image reference; passed over");
                        }
                    }
                    else
                    {
                        Walk(value, file, images, notes);
                    }
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var child in sequence)
                {
                    Walk(child, file, images, notes);
                }
                break;
        }
    }

    private static string FirstSentence(YamlException e) => Config.BoundedYaml.Describe(e).Split('.')[0];
}
