using ImageSync.Config;

namespace ImageSync.Tests.Config;

/// <summary>The shard count a CI matrix runs: no shard without an image while there are at least as many images as shards.</summary>
public sealed class ShardPlanTests
{
    private static readonly string[] Shipped = ["examples-helloworld-v1", "examples-helloworld-v2", "examples-httpbin", "examples-tcp-echo-server"];

    [Fact]
    public void The_shipped_images_in_three_shards_would_leave_one_empty_so_the_plan_runs_fewer()
    {
        // The hash puts the four shipped images 2, 0 and 2 in three shards (issue 17): the plan must not choose 3.
        Assert.Equal(0, Shipped.Count(n => Shard.Of(n, 3) == 2));

        var plan = ShardPlan.For(Shipped, 3);

        Assert.Equal(2, plan.Count);
        Assert.Equal("[1,2]", plan.MatrixJson);
        Assert.All(plan.Shards, s => Assert.NotEmpty(s));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(40)]
    public void Every_shard_of_the_plan_has_an_image_and_together_they_hold_each_once(int max)
    {
        for (var images = 0; images <= 30; images++)
        {
            var names = Enumerable.Range(0, images).Select(i => $"image-{i}").ToList();

            var plan = ShardPlan.For(names, max);

            Assert.InRange(plan.Count, 1, Math.Max(1, Math.Min(max, images)));
            Assert.Equal(plan.Count, plan.Shards.Count);
            Assert.Equal(names.Order(), plan.Shards.SelectMany(s => s).Order());
            if (images > 0)
            {
                Assert.All(plan.Shards, s => Assert.NotEmpty(s));
            }
            for (var k = 0; k < plan.Count; k++)
            {
                Assert.All(plan.Shards[k], n => Assert.Equal(k + 1, Shard.Of(n, plan.Count)));
            }
        }
    }

    [Fact]
    public void The_plan_takes_the_most_shards_that_leave_none_empty()
    {
        var names = Enumerable.Range(0, 50).Select(i => $"image-{i}").ToList();

        var plan = ShardPlan.For(names, 6);

        Assert.Equal(6, plan.Count);
        Assert.Equal(6, ShardPlan.For(names.Concat(names), 6).Count);
        Assert.Equal(1, ShardPlan.For(["only"], 6).Count);
        Assert.Equal(1, ShardPlan.For([], 6).Count);
        Assert.Equal(Shard.MaxCount, ShardPlan.For(Enumerable.Range(0, 5000).Select(i => $"i{i}"), 10_000).Count);
    }
}
