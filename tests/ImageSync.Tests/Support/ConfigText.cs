using ImageSync.Config;

namespace ImageSync.Tests.Support;

/// <summary>A configuration from JSON text, loaded as the tool loads one, for tests of what is done with it.</summary>
internal static class ConfigText
{
    /// <param name="images">Each image as (name, upstream, tags); targets are quay.io/x/NAME.</param>
    public static async Task<SyncConfig> LoadAsync(string folder, params (string Name, string Upstream, string[] Tags)[] images)
    {
        var path = Path.Combine(folder, $"config-{Guid.NewGuid():N}.json");
        var entries = images.Select(i => $$"""{ "name": "{{i.Name}}", "upstream": "{{i.Upstream}}", "target": "quay.io/x/{{i.Name}}", "tags": [{{string.Join(", ", i.Tags.Select(t => $"\"{t}\""))}}] }""");
        await File.WriteAllTextAsync(path, $$"""{ "images": [ {{string.Join(", ", entries)}} ] }""");
        var loaded = await ConfigLoader.LoadAsync(ConfigSource.Json(path), CancellationToken.None);
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Diagnostics));
        return loaded.Config!;
    }
}
