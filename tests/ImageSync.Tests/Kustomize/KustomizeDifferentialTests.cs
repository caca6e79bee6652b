using ImageSync.Config;
using ImageSync.Kustomize;
using ImageSync.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ImageSync.Tests.Kustomize;

/// <summary>
/// kubectl kustomize is the oracle: for hand-made kustomizations covering kustomize's matching rules (short names,
/// docker.io/ and library/ forms, tags and digests in name, newTag, digest, tagSuffix, entries applied one after the
/// other, nested kustomizations, the fields it reaches and those it does not), every image value kubectl prints is
/// what imagesync derives.
/// </summary>
public class KustomizeDifferentialTests
{
    private const string Digest1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Digest2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static string Pod(params string[] images) =>
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n" + string.Concat(images.Select((i, n) => $"  - name: c{n}\n    image: {i}\n"));

    public static TheoryData<string, Dictionary<string, string>> Cases => new()
    {
        {
            "short names and the docker.io/ and library/ forms are not normalised",
            new()
            {
                ["res.yaml"] = Pod("nginx:1.0", "docker.io/library/nginx:1.1", "library/nginx:1.2", "docker.io/nginx:1.3", "index.docker.io/library/nginx:1.4", "nginx"),
                ["kustomization.yaml"] = "resources:\n- res.yaml\nimages:\n- name: nginx\n  newName: quay.io/m/nginx\n- name: docker.io/library/nginx\n  newName: quay.io/m/lib-nginx\n",
            }
        },
        {
            "sail-operator's curl: a short name entry does not match the docker.io/ form",
            new()
            {
                ["res.yaml"] = Pod("docker.io/curlimages/curl:8.16.0", "curlimages/curl:8.15.0"),
                ["kustomization.yaml"] = "resources:\n- res.yaml\nimages:\n- name: curlimages/curl\n  newName: quay.io/curl/curl\n- name: docker.io/curlimages/curl\n  newName: quay.io/curl/other\n",
            }
        },
        {
            "tags and digests in name match only themselves",
            new()
            {
                ["res.yaml"] = Pod("nginx:1.0", "nginx:1.1", $"b@{Digest1}", $"b@{Digest2}", $"c:1@{Digest1}"),
                ["kustomization.yaml"] = $"resources:\n- res.yaml\nimages:\n- name: nginx:1.0\n  newName: m/nginx\n- name: b@{Digest1}\n  newTag: \"2\"\n- name: c:1\n  newName: m/c\n",
            }
        },
        {
            "newTag, digest, both, and tagSuffix twice where both passes reach",
            new()
            {
                ["res.yaml"] = Pod("a:1", $"b:1@{Digest1}", "c:1", "d:1", "e:1", "f") + "---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: j\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: x\n            image: e:2\n",
                ["kustomization.yaml"] = $"resources:\n- res.yaml\nimages:\n- name: a\n  newTag: \"2\"\n- name: b\n  newTag: v3\n- name: c\n  digest: {Digest2}\n- name: d\n  newTag: \"4\"\n  digest: {Digest2}\n- name: e\n  tagSuffix: -x\n- name: f\n  tagSuffix: -y\n",
            }
        },
        {
            "entries apply one after the other; a '.' in name matches any character",
            new()
            {
                ["res.yaml"] = Pod("a/x:1", "registryXistio.io/release/t:1", "registry.istio.io/release/t:2"),
                ["kustomization.yaml"] = "resources:\n- res.yaml\nimages:\n- name: a/x\n  newName: b/x\n- name: b/x\n  newName: c/x\n- name: registry.istio.io/release/t\n  newName: quay.io/sail-dev/t\n",
            }
        },
        {
            "fields reached and not: initContainers, custom kinds, deep containers; not ephemeralContainers, image volumes, CRDs, other image: keys",
            new()
            {
                ["res.yaml"] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: i\n    image: nn:1\n  ephemeralContainers:\n  - name: e\n    image: nn:2\n  volumes:\n  - name: v\n    image:\n      reference: nn:3\n  containers:\n  - name: c\n    image: \"nn:4\"\n"
                    + "---\napiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\nspec:\n  image: nn:5\n  deep:\n    containers:\n    - image: nn:6\n"
                    + "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: crd\nspec:\n  containers:\n  - image: nn:7\n"
                    + "---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: in-list\n  spec:\n    containers:\n    - name: c\n      image: nn:8\n",
                ["kustomization.yaml"] = "resources:\n- res.yaml\nimages:\n- name: nn\n  newName: quay.io/m/nn\n",
            }
        },
        {
            "a nested kustomization's entries apply first, then the including one's",
            new()
            {
                ["base/res.yaml"] = Pod("a:1", "z:1"),
                ["base/kustomization.yaml"] = "resources:\n- res.yaml\nimages:\n- name: a\n  newName: b\n",
                ["kustomization.yml"] = "resources:\n- base\nimages:\n- name: b\n  newName: quay.io/m/b\n  newTag: \"9\"\n- name: a\n  newName: never\n",
            }
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task What_imagesync_derives_is_what_kubectl_kustomize_prints(string rule, Dictionary<string, string> files)
    {
        var folder = Directory.CreateTempSubdirectory("kz-diff-").FullName;
        try
        {
            foreach (var (path, content) in files)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
                await File.WriteAllTextAsync(Path.Combine(folder, path), content);
            }
            var expected = (await Kubectl.ImagesAsync(folder)).Order(StringComparer.Ordinal).ToList();

            var at = new SourcePosition("c.json", 1, 1);
            var settings = new KustomizeSettings(["."], ["quay.io/m"], at, [at]);
            var (roots, diagnostics) = KustomizationTree.Load(folder, ".", settings, UpstreamSampleSource.Default);
            Assert.DoesNotContain(diagnostics, d => d.IsError);
            var rendered = new KustomizeDeriver(settings, new Dictionary<RawGitHubFile, string>()).Render(Assert.Single(roots));
            // The values kustomize does not reach are printed as written.
            var untouched = AllImages(files.Where(f => !Path.GetFileName(f.Key).StartsWith("kustomization", StringComparison.Ordinal)).Select(f => f.Value)).ToList();
            foreach (var (written, _, _) in rendered)
            {
                untouched.Remove(written);
            }
            var actual = rendered.Select(r => r.Printed).Concat(untouched).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(actual), $"{rule}:\nkubectl kustomize: {string.Join(", ", expected)}\nimagesync:         {string.Join(", ", actual)}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static IEnumerable<string> AllImages(IEnumerable<string> contents)
    {
        foreach (var content in contents)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(content));
            foreach (var found in stream.Documents.SelectMany(d => Images(d.RootNode)))
            {
                yield return found;
            }
        }
    }

    private static IEnumerable<string> Images(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.SelectMany(c => c.Key is YamlScalarNode { Value: "image" } && c.Value is YamlScalarNode { Value: { Length: > 0 } v } ? [v] : Images(c.Value)),
        YamlSequenceNode s => s.SelectMany(Images),
        _ => [],
    };
}
