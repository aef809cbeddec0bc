using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Gateway;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Stacks.Tests;

/// <summary>Scale from zero as decision tables: one row per window, the clock advanced by a <see cref="FakeTimeProvider"/>.</summary>
public sealed class ColdStartPolicyTests
{
    private static readonly AutoscalerOptions Options = new(QueuePerReadyNode: 2, BusyHigh: 0.85, TtftTargetMs: 2000, HotWindows: 2, BusyLow: 0.3,
        QuietPeriod: TimeSpan.FromMinutes(15), Cooldown: TimeSpan.FromMinutes(10), UpStepFraction: 0.5);

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(15);

    /// <summary>The model's figures: requests held and waiting, ready nodes.</summary>
    private static GatewayModelLoad Model(int held, int waiting = -1, int ready = 0) =>
        new("llama", true, ready, ready, ready * 4, 0, 0, waiting < 0 ? held : waiting, held);

    private static GatewayPoolLoad Pool(int ready, int nodes, int busy = 0) => new("gpu", ready, nodes, ready * 4, busy, 0, busy, 300);

    private static AutoscaleInput Input(int current, GatewayModelLoad? model, GatewayPoolLoad? load = null, int min = 0, int max = 4, decimal? price = 500, decimal? ceiling = 5000, decimal other = 0) =>
        new(current, min, max, load, other, price, ceiling) { ColdModel = model };

    private static List<string> Run(AutoscaleState state, params (AutoscaleInput Input, TimeSpan After)[] windows)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var policy = new AutoscalerPolicy(Options);
        var result = new List<string>();
        foreach (var (input, after) in windows)
        {
            time.Advance(after);
            (var decision, state) = policy.Decide(state, input, time.GetUtcNow());
            result.Add($"{decision.Action} {decision.Target} {decision.Reason}");
        }
        return result;
    }

    private static List<string> Run(params (AutoscaleInput Input, TimeSpan After)[] windows) => Run(new AutoscaleState(), windows);

    [Fact]
    public void An_empty_pool_starts_one_node_in_the_first_window_with_held_demand()
    {
        Assert.Equal(["hold 0 no-ready-nodes", "up 1 cold-start"], Run(
            (Input(0, Model(held: 0)), Window),
            (Input(0, Model(held: 2)), Window)));
    }

    [Theory]
    [InlineData(0, 2, 1)]  // waiting without held (a gateway that counts them as waiting) starts a node too
    [InlineData(2, 3, 1)]
    public void Held_or_waiting_demand_each_start_a_node(int held, int waiting, int target)
    {
        Assert.Equal([$"up {target} cold-start"], Run((Input(0, Model(held, waiting)), Window)));
    }

    [Fact]
    public void A_pool_whose_nodes_are_all_gone_steps_up_by_half_as_usual()
    {
        // 4 nodes configured, none known to the gateway (dead nodes are left out of its load): +2.
        Assert.Equal(["up 6 cold-start"], Run((Input(4, Model(held: 3), max: 8), Window)));
    }

    [Fact]
    public void The_cooldown_of_an_earlier_up_does_not_block_a_cold_start()
    {
        var now = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(["up 1 cold-start"], Run(new AutoscaleState(LastUpAt: now), (Input(0, Model(held: 1)), Window)));
    }

    [Fact]
    public void No_second_cold_start_while_the_first_node_boots_or_within_the_cooldown()
    {
        Assert.Equal(["up 1 cold-start", "hold 1 starting", "hold 1 starting", "hold 1 starting", "up 2 cold-start"], Run(
            (Input(0, Model(held: 2)), Window),
            (Input(1, Model(held: 2)), TimeSpan.FromMinutes(3)),                // not heard of yet, within the cooldown
            (Input(1, Model(held: 2), Pool(ready: 0, nodes: 1)), TimeSpan.FromMinutes(7)), // loading: known, not ready
            (Input(1, Model(held: 2), Pool(ready: 0, nodes: 1)), TimeSpan.FromMinutes(5)),
            (Input(1, Model(held: 2)), Window)));                               // the node vanished and the cooldown is over
    }

    [Fact]
    public void A_cold_start_respects_max_and_the_cost_ceiling()
    {
        Assert.Equal(["hold 0 at-max"], Run((Input(0, Model(held: 1), max: 0), Window)));
        Assert.Equal(["hold 0 cost-ceiling"], Run((Input(0, Model(held: 1), ceiling: 900, other: 500), Window)));
    }

    [Fact]
    public void Without_demand_or_with_a_ready_node_the_usual_rules_apply()
    {
        Assert.Equal(["hold 0 no-ready-nodes"], Run((Input(0, null), Window)));
        Assert.Equal(["hold 2 steady"], Run((Input(2, Model(held: 0, waiting: 3, ready: 2), Pool(ready: 2, nodes: 2, busy: 4)), Window)));
    }

    [Fact]
    public void An_idle_pool_with_min_zero_steps_down_to_zero_and_stays_there()
    {
        var quiet = Input(1, Model(held: 0, ready: 1), Pool(ready: 1, nodes: 1));
        Assert.Equal(["hold 1 steady", "down 0 quiet", "hold 0 no-ready-nodes"], Run(
            (quiet, Window),
            (quiet, TimeSpan.FromMinutes(15)),
            (Input(0, Model(held: 0)), Window)));
    }

    [Fact]
    public void Explains_a_cold_start()
    {
        var (decision, state) = new AutoscalerPolicy(Options).Decide(new AutoscaleState(), Input(0, Model(held: 2, waiting: 3)), DateTimeOffset.UnixEpoch);
        Assert.Equal("2 held, 3 waiting for model llama and no ready node serves it", decision.Detail);
        Assert.Equal((DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch), (state.ColdStartAt, state.LastUpAt));
    }

    [Fact]
    public void The_cheapest_pool_below_its_max_starts_a_model_then_the_first_by_name()
    {
        var chosen = ColdStartPool.Choose(
        [
            new("gpu-b", "llama", 500, 0, 4),
            new("gpu-a", "llama", 500, 0, 4),
            new("gpu-cheap-full", "llama", 100, 2, 2),
            new("gpu-unknown", "llama", null, 0, 4),
            new("cpu", "qwen", 40, 0, 3),
            new("cpu-unpriced", "mistral", null, 0, 1),
        ]);
        Assert.Equal([("cpu", "qwen"), ("cpu-unpriced", "mistral"), ("gpu-a", "llama")],
            chosen.Select(c => (c.Value, c.Key)).OrderBy(c => c.Value, StringComparer.Ordinal));
    }
}
