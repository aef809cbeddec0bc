using Fleet.Agent.Heartbeats;

namespace Fleet.Agent.Tests.Heartbeats;

public sealed class HeartbeatBackoffTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 8)]
    [InlineData(7, 60)]
    [InlineData(50, 60)]
    public void Doubles_up_to_a_minute(int failures, int ceilingSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(ceilingSeconds), HeartbeatBackoff.Ceiling(failures));

    [Fact]
    public void Jitter_stays_between_half_and_the_ceiling_and_varies()
    {
        var backoff = new HeartbeatBackoff(new Random(7));
        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Next(3)).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)));
        Assert.True(delays.Distinct().Count() > 100, "delays must be jittered");
    }
}
