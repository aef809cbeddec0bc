using Fleet.Agent.Hosting;

namespace Fleet.Agent.Tests.Hosting;

public class DrainStateTests
{
    [Fact]
    public void A_gateway_drain_ends_when_the_gateway_stops_asking()
    {
        var drain = new DrainState();

        Assert.True(drain.Begin("gateway"));
        Assert.True(drain.End("gateway"));
        Assert.False(drain.IsDraining);
    }

    [Fact]
    public void A_shutdown_is_never_undone_even_when_it_arrives_during_a_gateway_drain()
    {
        var drain = new DrainState();
        drain.Begin("gateway");

        Assert.False(drain.Begin(DrainState.Shutdown)); // already draining, but now for good
        Assert.False(drain.End("gateway"));
        Assert.True(drain.IsDraining);
    }
}
