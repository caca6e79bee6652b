using System.Text;
using ImageSync.References;
using ImageSync.AutoUpdate;

namespace ImageSync.Tests.AutoUpdate;

public sealed class SampleRewriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("imagesync-rewrite-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rewrites_whole_references_only_and_keeps_every_other_byte()
    {
        var samples = Path.Combine(_dir, "samples");
        Directory.CreateDirectory(samples);
        var original = "a: quay.io/x/app:1.0\r\nb: \"quay.io/x/app:1.0\"  # keep\r\nc: quay.io/x/app:1.0.1\r\nd: quay.io/x/app-extra:1.0\r\ne: quay.io/x/app:1.0-rc\r\nf: myquay.io/x/app:1.0\r\ng: quay.io/x/app:1.0@sha256:" + new string('a', 64) + "\r\n";
        var bom = Encoding.UTF8.Preamble.ToArray();
        File.WriteAllBytes(Path.Combine(samples, "s.yaml"), [.. bom, .. Encoding.UTF8.GetBytes(original)]);

        var rewrites = SampleRewriter.Plan(SampleRewriter.Load(samples), [(Reference.Parse("quay.io/x/app"), "1.0", "2.0")]);

        var rewrite = Assert.Single(rewrites);
        var expected = original.Replace("a: quay.io/x/app:1.0\r", "a: quay.io/x/app:2.0\r", StringComparison.Ordinal)
            .Replace("\"quay.io/x/app:1.0\"", "\"quay.io/x/app:2.0\"", StringComparison.Ordinal);
        Assert.Equal([.. bom, .. Encoding.UTF8.GetBytes(expected)], rewrite.After);
        Assert.Equal([1, 2], rewrite.Lines);
    }

    [Fact]
    public void An_untagged_reference_gains_the_tag_and_docker_hub_short_names_are_found()
    {
        var samples = Path.Combine(_dir, "samples");
        Directory.CreateDirectory(samples);
        File.WriteAllText(Path.Combine(samples, "s.yaml"), "a: quay.io/x/app\nb: quay.io/x/app-two\nc: busybox\nd: docker.io/library/busybox:1.0\n");

        var rewrites = SampleRewriter.Plan(SampleRewriter.Load(samples), [(Reference.Parse("quay.io/x/app"), null, "1.0"), (Reference.Parse("busybox"), null, "1.36")]);

        Assert.Equal("a: quay.io/x/app:1.0\nb: quay.io/x/app-two\nc: busybox:1.36\nd: docker.io/library/busybox:1.0\n", Encoding.UTF8.GetString(Assert.Single(rewrites).After));
    }
}
