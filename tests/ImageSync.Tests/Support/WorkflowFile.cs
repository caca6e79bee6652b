using YamlDotNet.RepresentationModel;

namespace ImageSync.Tests.Support;

/// <summary>One of the repository's GitHub workflows, parsed: its jobs, their steps and the text of any part of them.</summary>
internal sealed class WorkflowFile
{
    public static readonly string Folder = Path.Combine(TestPaths.RepositoryRoot, ".github", "workflows");

    private WorkflowFile(string name, YamlMappingNode root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }

    public YamlMappingNode Root { get; }

    public static IEnumerable<string> Names() => Directory.EnumerateFiles(Folder, "*.yml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static WorkflowFile Load(string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Folder, name))));
        return new WorkflowFile(name, (YamlMappingNode)stream.Documents[0].RootNode);
    }

    public YamlMappingNode On => (YamlMappingNode)Root["on"];

    public IEnumerable<(string Id, YamlMappingNode Job)> Jobs =>
        ((YamlMappingNode)Root["jobs"]).Children.Select(kv => (((YamlScalarNode)kv.Key).Value!, (YamlMappingNode)kv.Value));

    public YamlMappingNode Job(string id) => Jobs.Single(j => j.Id == id).Job;

    public static IEnumerable<YamlMappingNode> Steps(YamlMappingNode job) =>
        job.Children.TryGetValue("steps", out var steps) ? ((YamlSequenceNode)steps).OfType<YamlMappingNode>() : [];

    public static string? Get(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    public static YamlMappingNode? Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? value as YamlMappingNode : null;

    /// <summary>Every scalar under a node, keys and values, joined: what a search for an expression reads.</summary>
    public static string Text(YamlNode node) => node switch
    {
        YamlScalarNode s => s.Value ?? "",
        YamlSequenceNode q => string.Join("\n", q.Children.Select(Text)),
        YamlMappingNode m => string.Join("\n", m.Children.Select(kv => Text(kv.Key) + ": " + Text(kv.Value))),
        _ => "",
    };

    /// <summary>The job's permissions, else the workflow's: the scopes its GITHUB_TOKEN has.</summary>
    public IReadOnlyDictionary<string, string> Permissions(YamlMappingNode job)
    {
        var node = Map(job, "permissions") ?? Map(Root, "permissions");
        return node is null
            ? new Dictionary<string, string>()
            : node.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);
    }

    public IEnumerable<string> RunScripts() => Jobs.SelectMany(j => Steps(j.Job)).Select(s => Get(s, "run")).OfType<string>();
}
