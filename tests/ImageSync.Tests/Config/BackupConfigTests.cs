using System.Text;
using ImageSync.Config;

namespace ImageSync.Tests.Config;

/// <summary>The <c>backup</c> key as the JSON configuration reader takes it: per image, from the defaults, or off.</summary>
public class BackupConfigTests
{
    private static ConfigLoadResult Load(string json) => ConfigLoader.Load(ConfigSource.Json("c.json"), Encoding.UTF8.GetBytes(json));

    [Fact]
    public void An_image_takes_its_own_backup_or_the_defaults_or_none_when_it_says_false()
    {
        var result = Load("""
            { "defaults": { "backup": "{tag}-{date}" },
              "images": [
                { "name": "inherits", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["latest"] },
                { "name": "own", "upstream": "docker.io/istio/b", "target": "quay.io/x/b", "tags": ["latest"], "backup": "{tag}-{digest12}" },
                { "name": "off", "upstream": "docker.io/istio/c", "target": "quay.io/x/c", "tags": ["latest"], "backup": false },
                { "name": "plain", "upstream": "docker.io/istio/d", "target": "quay.io/x/d", "tags": ["latest"], "immutable_tags": true, "backup": "{tag}-{time}" } ] }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(["{tag}-{date}", "{tag}-{digest12}", null, "{tag}-{time}"], result.Config!.Images.Select(i => i.Backup?.Text));
        Assert.Equal("c.json:6:136: warning: images[3].backup: immutable tags are never moved, so nothing is ever backed up", Assert.Single(result.Warnings, w => w.ToString().Contains("backup", StringComparison.Ordinal)).ToString());
    }

    [Fact]
    public void Without_the_key_nothing_is_backed_up() =>
        Assert.Null(Load("""{ "images": [ { "name": "a", "upstream": "docker.io/istio/a", "target": "quay.io/x/a", "tags": ["latest"] } ] }""").Config!.Images[0].Backup);
}
