using ImageSync.Config;
using YamlDotNet.Core;

namespace ImageSync.Tests.Config;

public sealed class BoundedYamlTests
{
    [Fact]
    public void A_syntax_error_is_told_in_its_own_words_without_yamldotnets_position_prefix()
    {
        var e = Assert.ThrowsAny<YamlException>(() => BoundedYaml.Load("a: 1\nb: c: d\n"));

        var described = BoundedYaml.Describe(e);

        Assert.DoesNotContain("Line:", described);
        Assert.DoesNotContain("Idx:", described);
        Assert.NotEmpty(described);
        Assert.Equal(2, e.Start.Line);
    }

    [Fact]
    public void Nesting_past_the_bound_fails_like_a_syntax_error_with_its_position()
    {
        var deep = string.Concat(Enumerable.Repeat("[", BoundedYaml.MaxDepth + 2)) + string.Concat(Enumerable.Repeat("]", BoundedYaml.MaxDepth + 2));

        var e = Assert.ThrowsAny<YamlException>(() => BoundedYaml.Load(deep));

        Assert.Equal(1, e.Start.Line);
    }

    [Fact]
    public void Aliases_that_expand_past_the_bound_are_refused()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i <= 7; i++)
        {
            lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        Assert.ThrowsAny<YamlException>(() => BoundedYaml.Load(string.Join("\n", lines)));
    }
}
