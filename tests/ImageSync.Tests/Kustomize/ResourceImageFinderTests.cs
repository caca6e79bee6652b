using ImageSync.Kustomize;

namespace ImageSync.Tests.Kustomize;

/// <summary>Which image values kustomize's images transformer reaches, and how many passes apply to each.</summary>
public class ResourceImageFinderTests
{
    [Fact]
    public void Containers_and_init_containers_anywhere_are_found_and_the_field_specs_count_twice()
    {
        var images = ResourceImageFinder.Find("r.yaml", """
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - image: a:1
              initContainers:
              - image: b:1
              ephemeralContainers:
              - image: c:1
              volumes:
              - image:
                  reference: d:1
              image: e:1
            ---
            kind: CronJob
            spec:
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers:
                      - image: "f:1"
            ---
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: x
                  - image: g:1 # comment
            ---
            kind: PodList
            items:
            - kind: Pod
              spec:
                containers:
                - image: h:1
            ---
            kind: CustomResourceDefinition
            spec:
              containers:
              - image: i:1
            """);
        Assert.Equal(["a:1", "b:1", "f:1", "g:1", "h:1"], images.Select(i => i.Value));
        Assert.Equal([2, 2, 1, 2, 2], images.Select(i => i.Passes));
        Assert.Equal("r.yaml:5:12", images[0].Position.ToString());
    }

    [Fact]
    public void Not_YAML_is_a_positioned_error()
    {
        var e = Assert.Throws<KustomizeException>(() => ResourceImageFinder.Find("r.yaml", "a: [\n"));
        Assert.StartsWith("r.yaml:2:1: not a YAML resource", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_that_expand_too_far_are_refused_before_the_tree_is_built()
    {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Join("", Enumerable.Range(0, 7).Select(i => $"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}, *{(char)('a' + i)}]\n"));
        var e = Assert.Throws<KustomizeException>(() => ResourceImageFinder.Find("r.yaml", bomb));
        Assert.Contains("aliases expand to more than", e.Message, StringComparison.Ordinal);
    }
}
