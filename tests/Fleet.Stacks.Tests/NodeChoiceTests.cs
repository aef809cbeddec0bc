using Fleet.Infra.Catalog;
using Fleet.Stacks.Gateway;
using Fleet.Stacks.Scaling;

namespace Fleet.Stacks.Tests;

public sealed class NodeChoiceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static GatewayNode Node(string id, string state = "ready", int busy = 0, int queue = 0, int inFlight = 0) =>
        new($"n-{id}", "burst", state, 1, 4, busy, queue, inFlight, false);

    [Theory]
    [InlineData(new[] { "a1", "a2" }, new string[0], 2, new[] { "a3", "a4" })]
    [InlineData(new[] { "a1", "a2" }, new[] { "a3", "a7" }, 1, new[] { "a8" })]
    [InlineData(new[] { "1", "2" }, new string[0], 1, new[] { "3" })]
    [InlineData(new string[0], new string[0], 2, new[] { "n1", "n2" })]
    [InlineData(new[] { "web", "b-9" }, new string[0], 1, new[] { "b-10" })]
    [InlineData(new[] { "b-9", "web" }, new string[0], 1, new[] { "n1" })]
    public void New_ids_continue_the_last_ids_prefix_and_are_never_reused(string[] current, string[] everUsed, int count, string[] expected) =>
        Assert.Equal(expected, NodeIdAllocator.Next(current, everUsed.ToHashSet(), count));

    [Fact]
    public void Victims_are_dead_then_unknown_then_idle_then_least_loaded()
    {
        var view = new Dictionary<string, GatewayNode>
        {
            ["a1"] = Node("a1", busy: 3, inFlight: 3),
            ["a2"] = Node("a2", busy: 1, inFlight: 1),
            ["a3"] = Node("a3"),
            ["a4"] = Node("a4", state: "dead"),
        };
        var order = VictimSelector.Choose(["a1", "a2", "a3", "a4", "a5"], 5, id => view.GetValueOrDefault(id), CloudKind.DigitalOcean, new Dictionary<string, DateTimeOffset>(), Now);
        Assert.Equal(["a4", "a5", "a3", "a2", "a1"], order);
    }

    [Fact]
    public void On_DigitalOcean_the_newest_idle_node_goes_first()
    {
        var added = new Dictionary<string, DateTimeOffset> { ["a1"] = Now.AddHours(-5), ["a2"] = Now.AddMinutes(-3), ["a3"] = Now.AddHours(-1) };
        Assert.Equal(["a2"], VictimSelector.Choose(["a1", "a2", "a3"], 1, id => Node(id), CloudKind.DigitalOcean, added, Now));
    }

    [Fact]
    public void On_Hetzner_the_idle_node_nearest_the_end_of_its_paid_hour_goes_first()
    {
        // a1: 2 h 50 min old (10 min left), a2: 3 min old (57 left), a3: 1 h 58 min old (2 left, but busy), a4: 35 min old (25 left).
        var added = new Dictionary<string, DateTimeOffset>
        {
            ["a1"] = Now.AddMinutes(-170),
            ["a2"] = Now.AddMinutes(-3),
            ["a3"] = Now.AddMinutes(-118),
            ["a4"] = Now.AddMinutes(-35),
        };
        var view = new Dictionary<string, GatewayNode> { ["a1"] = Node("a1"), ["a2"] = Node("a2"), ["a3"] = Node("a3", busy: 2), ["a4"] = Node("a4") };
        Assert.Equal(["a1", "a4"], VictimSelector.Choose(["a1", "a2", "a3", "a4"], 2, id => view[id], CloudKind.Hetzner, added, Now));
        Assert.Equal(10, VictimSelector.MinutesLeftInPaidHour(added, "a1", Now), precision: 6);
        Assert.Equal(60, VictimSelector.MinutesLeftInPaidHour(added, "unknown", Now));
    }
}
