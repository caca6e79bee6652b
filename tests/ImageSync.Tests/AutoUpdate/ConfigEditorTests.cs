using System.Text;
using ImageSync.AutoUpdate;

namespace ImageSync.Tests.AutoUpdate;

public sealed class ConfigEditorTests
{
    [Fact]
    public void Adding_a_tag_keeps_the_lists_layout_inline_or_multi_line()
    {
        var json = """
            {
              "images": [
                { "name": "a", "upstream": "docker.io/x/a", "target": "quay.io/x/a", "tags": ["latest"] },
                {
                  "name": "b",
                  "upstream": "docker.io/x/b",
                  "target": "quay.io/x/b",
                  "tags": [
                    "latest"
                  ]
                }
              ]
            }
            """;
        var config = ImageSync.Config.ConfigLoader.Load(ImageSync.Config.ConfigSource.Json("c.json"), Encoding.UTF8.GetBytes(json)).Config!;
        var updates = config.Images.Select(i => new ImageUpdate(i, i.Upstream, null, "1.0", null, [])).ToList();

        var after = Encoding.UTF8.GetString(ConfigEditor.Apply(Encoding.UTF8.GetBytes(json), updates, followMove: _ => false));

        Assert.Equal(json.Replace("\"tags\": [\"latest\"]", "\"tags\": [\"1.0\", \"latest\"]", StringComparison.Ordinal)
            .Replace("\"tags\": [\n        \"latest\"", "\"tags\": [\n        \"1.0\",\n        \"latest\"", StringComparison.Ordinal), after);
    }
}
