using ImageSync.Registry.Http;

namespace ImageSync.Tests.Registry;

public sealed class ServerErrorRateTests
{
    [Fact]
    public void A_block_in_which_half_the_answers_were_5xx_trips_once_and_the_next_block_starts_afresh()
    {
        var rate = new ServerErrorRate();
        var trips = Enumerable.Range(0, ServerErrorRate.Window * 2).Select(i => rate.Record(i % 2 == 0)).ToArray();

        Assert.Equal([ServerErrorRate.Window - 1, (ServerErrorRate.Window * 2) - 1], trips.Select((t, i) => (t, i)).Where(x => x.t).Select(x => x.i));
    }

    [Fact]
    public void A_host_failing_one_request_in_three_is_not_slowed_down()
    {
        var rate = new ServerErrorRate();

        Assert.DoesNotContain(Enumerable.Range(0, ServerErrorRate.Window * 4).Select(i => rate.Record(i % 3 == 0)), t => t);
    }
}
