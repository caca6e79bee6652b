using System.ComponentModel;
using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Tests.Support;

/// <summary>
/// kubectl kustomize as the oracle for what overlays produce (kubectl v1.32 with kustomize v5.5 is on these machines
/// and on GitHub's runners). A missing kubectl fails the test with a message saying so: the tests that use it cannot
/// be passed without the oracle.
/// </summary>
internal static class Kubectl
{
    /// <summary>What <c>kubectl kustomize DIR</c> prints; fails clearly when kubectl is missing or kustomize refuses DIR.</summary>
    public static async Task<string> KustomizeAsync(string folder)
    {
        CliRun run;
        try
        {
            run = await ChildProcess.RunAsync(new ProcessStartInfo("kubectl", ["kustomize", folder]), TimeSpan.FromSeconds(60));
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not installed: these tests use `kubectl kustomize` (kubectl with kustomize v5) as the oracle; install kubectl to run them", e);
        }
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {folder} failed ({run.ExitCode}): {run.Error}");
        }
        return run.Out;
    }

    /// <summary>Every <c>image:</c> value (at any depth) in what kubectl kustomize prints for the folder.</summary>
    public static async Task<IReadOnlyList<string>> ImagesAsync(string folder)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(await KustomizeAsync(folder)));
        var images = new List<string>();
        foreach (var document in stream.Documents)
        {
            Walk(document.RootNode, images);
        }
        return images;
    }

    private static void Walk(YamlNode node, List<string> images)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: "image" } && value is YamlScalarNode { Value: { Length: > 0 } text })
                    {
                        images.Add(text);
                    }
                    else
                    {
                        Walk(value, images);
                    }
                }
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence)
                {
                    Walk(item, images);
                }
                break;
        }
    }
}
