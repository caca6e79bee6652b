using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Config;

/// <summary>
/// The one way YAML from outside is loaded (upstream samples, external-images files): the event stream is read once,
/// without recursion, to bound nesting depth and how far aliases expand ("billion laughs"), and only then is the
/// node tree built. A file over a limit fails like a syntax error, with its position.
/// </summary>
public static class BoundedYaml
{
    public const int MaxDepth = 64;

    /// <summary>Nodes counted with every alias expanded: far above any real manifest, far below what hurts.</summary>
    public const int MaxExpandedNodes = 1_000_000;

    /// <summary>
    /// A YAML error's own words, without the "(Line: 3, Col: 1, Idx: 20) - (Line: 3, Col: 2, Idx: 21): " prefix
    /// YamlDotNet puts before them: callers print the position their own way (file:line:column).
    /// </summary>
    public static string Describe(YamlException e)
    {
        var message = e.InnerException?.Message ?? e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut > 0 && message.StartsWith('(') ? message[(cut + 3)..] : message;
    }

    /// <exception cref="YamlException">Not YAML, or over a limit; <c>Start</c> says where.</exception>
    public static YamlStream Load(string content)
    {
        Check(content);
        var stream = new YamlStream();
        stream.Load(new StringReader(content));
        return stream;
    }

    private static void Check(string content)
    {
        var parser = new Parser(new StringReader(content));
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(string? Anchor, long Count)>();
        open.Push((null, 0));
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            switch (current)
            {
                case MappingStart or SequenceStart:
                    if (open.Count > MaxDepth)
                    {
                        throw new YamlLimitException(current.Start, current.End, $"nested deeper than {MaxDepth} levels");
                    }
                    var node = (NodeEvent)current;
                    open.Push((node.Anchor.IsEmpty ? null : node.Anchor.Value, 0));
                    break;
                case MappingEnd or SequenceEnd:
                    var (anchor, count) = open.Pop();
                    Add(anchor, count + 1, current);
                    break;
                case Scalar scalar:
                    Add(scalar.Anchor.IsEmpty ? null : scalar.Anchor.Value, 1, current);
                    break;
                case AnchorAlias alias:
                    // An unknown alias is the parser's error to report when the tree is built.
                    Add(null, anchors.GetValueOrDefault(alias.Value.Value, 1), current);
                    break;
            }
        }

        void Add(string? anchor, long size, ParsingEvent at)
        {
            if (anchor is not null)
            {
                anchors[anchor] = size;
            }
            var (parentAnchor, parentCount) = open.Pop();
            open.Push((parentAnchor, parentCount + size));
            if (parentCount + size > MaxExpandedNodes)
            {
                throw new YamlLimitException(at.Start, at.End, $"aliases expand to more than {MaxExpandedNodes} nodes");
            }
        }
    }
}
