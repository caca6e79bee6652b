using ImageSync.Kustomize;
using ImageSync.Tests.Support;

namespace ImageSync.Tests.Kustomize;

/// <summary>Reading one kustomization file: resources and images: entries with their positions; what is refused.</summary>
public class KustomizationReaderTests
{
    [Fact]
    public void Sail_operators_sleep_kustomization_reads_with_positions()
    {
        var folder = Path.Combine(TestPaths.SailOperator, "tests", "e2e", "samples", "sleep");
        var file = KustomizationReader.FindFile(folder, new ImageSync.Config.SourcePosition("c.json", 1, 1))!;
        Assert.Equal("kustomization.yaml", Path.GetFileName(file));
        var k = KustomizationReader.Read("sleep/kustomization.yaml", folder, File.ReadAllText(file));
        Assert.Equal(["sleep.yaml"], k.Resources.Select(r => r.Value));
        Assert.Equal("sleep/kustomization.yaml:4:5", k.Resources[0].Position.ToString());
        Assert.Equal(["curlimages/curl", "docker.io/curlimages/curl"], k.Images.Select(i => i.Name));
        Assert.All(k.Images, i => Assert.Equal("quay.io/curl/curl", i.NewName));
        Assert.Equal("sleep/kustomization.yaml:6:5", k.Images[0].Position.ToString());
        Assert.Equal("sleep/kustomization.yaml:8:11", k.Images[1].NamePosition.ToString());
        Assert.All(k.Images, i => Assert.Equal("", i.NewTag + i.Digest + i.TagSuffix));
    }

    [Fact]
    public void Deprecated_bases_and_imageTags_are_read_as_kustomize_reads_them()
    {
        var k = KustomizationReader.Read("k.yaml", "/x", "bases:\n- ../base\nresources:\n- a.yaml\nimageTags:\n- name: nginx\n  newTag: \"1.0\"\n  digest: sha256:abc\n  tagSuffix: -x\n");
        Assert.Equal(["../base", "a.yaml"], k.Resources.Select(r => r.Value));
        var image = Assert.Single(k.Images);
        Assert.Equal(("nginx", "1.0", "sha256:abc", "-x"), (image.Name, image.NewTag, image.Digest, image.TagSuffix));
    }

    [Fact]
    public void Fields_that_cannot_touch_an_image_are_accepted()
    {
        var k = KustomizationReader.Read("k.yaml", "/x", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: n\nnamePrefix: p-\ncommonLabels: {a: b}\nconfigMapGenerator:\n- name: c\n  literals: [a=b]\nresources: [a.yaml]\n");
        Assert.Single(k.Resources);
        Assert.Empty(k.Images);
    }

    [Theory]
    [InlineData("resources:\n- a.yaml\nfoo: 1\n", "k.yaml:3:1: unknown field \"foo\"")]
    [InlineData("resources:\n- a.yaml\npatches:\n- path: p.yaml\n", "k.yaml:3:1: patches: imagesync does not apply patches")]
    [InlineData("generators:\n- g.yaml\n", "k.yaml:1:1: generators: imagesync does not apply generators")]
    [InlineData("components:\n- ../c\n", "k.yaml:1:1: components: imagesync does not apply components")]
    [InlineData("kind: Component\n", "k.yaml:1:7: kind Component: imagesync reads kind Kustomization only")]
    [InlineData("images:\n- name: nginx\n  newTag: 1.0\n", "k.yaml:3:11: images: newTag: 1.0 is a number in YAML, not a string; quote it")]
    [InlineData("images:\n- name: nginx\n  newTag: yes\n", "k.yaml:3:11: images: newTag: yes is a boolean in YAML")]
    [InlineData("images:\n- name: nginx\n  newtag: \"1\"\n", "k.yaml:3:3: images: unknown field \"newtag\" (did you mean \"newTag\"?)")]
    [InlineData("images:\n- nginx\n", "k.yaml:2:3: images: expected an entry")]
    [InlineData("resources: a.yaml\n", "k.yaml:1:12: resources: expected a list of paths")]
    [InlineData("resources:\n- a.yaml\nresources:\n- b.yaml\n", "k.yaml:3:1: not a kustomization: Duplicate key")]
    [InlineData("a: [\n", "k.yaml:2:1: not a kustomization")]
    [InlineData("- a\n", "k.yaml:1:1: a kustomization is a mapping")]
    public void What_kustomize_refuses_or_imagesync_cannot_model_is_a_positioned_error(string content, string expected)
    {
        var e = Assert.Throws<KustomizeException>(() => KustomizationReader.Read("k.yaml", "/x", content));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_kustomization_files_in_one_folder_are_refused_as_kustomize_refuses_them()
    {
        var folder = Directory.CreateTempSubdirectory("kz-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "kustomization.yaml"), "");
            Assert.EndsWith("kustomization.yaml", KustomizationReader.FindFile(folder, new("c.json", 2, 3)), StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(folder, "Kustomization"), "");
            var e = Assert.Throws<KustomizeException>(() => KustomizationReader.FindFile(folder, new("c.json", 2, 3)));
            Assert.StartsWith("c.json:2:3: found several kustomization files", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
