using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Gateway;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Stacks.Tests;

/// <summary>Decision tables: one row per window, the clock advanced by a <see cref="FakeTimeProvider"/>.</summary>
public sealed class AutoscalerPolicyTests
{
    private static readonly AutoscalerOptions Options = new(QueuePerReadyNode: 2, BusyHigh: 0.85, TtftTargetMs: 2000, HotWindows: 2, BusyLow: 0.3,
        QuietPeriod: TimeSpan.FromMinutes(15), Cooldown: TimeSpan.FromMinutes(10), UpStepFraction: 0.5);

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(15);

    /// <summary>A pool figure: ready nodes, busy/total slots, queue, TTFT p95.</summary>
    private static GatewayPoolLoad Load(int ready, int busy, int queue = 0, double ttft = 500) =>
        new("burst", ready, ready, ready * 4, busy, queue, busy, ttft);

    private static AutoscaleInput Input(int current, GatewayPoolLoad? load, int min = 1, int max = 6, decimal? price = 84, decimal? ceiling = 2000, decimal other = 0) =>
        new(current, min, max, load, other, price, ceiling);

    /// <summary>Runs windows in order and returns "action target reason" per window.</summary>
    private static List<string> Run(params (AutoscaleInput Input, TimeSpan After)[] windows)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
        var policy = new AutoscalerPolicy(Options);
        var state = new AutoscaleState();
        var result = new List<string>();
        foreach (var (input, after) in windows)
        {
            time.Advance(after);
            (var decision, state) = policy.Decide(state, input, time.GetUtcNow());
            result.Add($"{decision.Action} {decision.Target} {decision.Reason}");
        }
        return result;
    }

    [Fact]
    public void Scales_up_after_two_saturated_windows_by_half_the_pool()
    {
        Assert.Equal(["hold 4 warming", "up 6 queue"], Run(
            (Input(4, Load(4, busy: 10, queue: 9)), Window),
            (Input(4, Load(4, busy: 10, queue: 9)), Window)));
    }

    [Theory]
    [InlineData(2, 8, 0, 500, "busy")]      // 8/8 busy slots
    [InlineData(2, 2, 4, 500, "queue")]     // 2 queued per ready node
    [InlineData(2, 2, 0, 2500, "ttft")]     // TTFT p95 over target
    public void Each_saturation_signal_alone_scales_up(int ready, int busy, int queue, double ttft, string reason)
    {
        var load = Load(ready, busy, queue, ttft);
        Assert.Equal(["hold 2 warming", $"up 3 {reason}"], Run((Input(2, load), Window), (Input(2, load), Window)));
    }

    [Fact]
    public void A_calm_window_resets_the_saturated_count()
    {
        Assert.Equal(["hold 2 warming", "hold 2 steady", "hold 2 warming", "up 3 queue"], Run(
            (Input(2, Load(2, busy: 8, queue: 5)), Window),
            (Input(2, Load(2, busy: 4)), Window),
            (Input(2, Load(2, busy: 8, queue: 5)), Window),
            (Input(2, Load(2, busy: 8, queue: 5)), Window)));
    }

    [Fact]
    public void Holds_during_the_cooldown_after_an_up()
    {
        var hot = Input(3, Load(3, busy: 12, queue: 9));
        Assert.Equal(["hold 3 warming", "up 5 queue", "hold 3 cooldown", "hold 3 cooldown", "up 5 queue"], Run(
            (hot, Window), (hot, Window),
            (hot, TimeSpan.FromMinutes(5)),
            (hot, TimeSpan.FromMinutes(4.9)),
            (hot, TimeSpan.FromMinutes(0.2))));
    }

    [Fact]
    public void Scales_down_one_node_per_quiet_period()
    {
        var quiet = Input(4, Load(4, busy: 1));
        Assert.Equal(["hold 4 steady", "hold 4 steady", "down 3 quiet", "hold 4 steady", "down 3 quiet"], Run(
            (quiet, Window),
            (quiet, TimeSpan.FromMinutes(14)),
            (quiet, TimeSpan.FromMinutes(1)),
            (quiet, TimeSpan.FromMinutes(10)),
            (quiet, TimeSpan.FromMinutes(5))));
    }

    [Fact]
    public void A_busy_window_restarts_the_quiet_period()
    {
        Assert.Equal(["hold 3 steady", "hold 3 steady", "hold 3 steady", "down 2 quiet"], Run(
            (Input(3, Load(3, busy: 0)), Window),
            (Input(3, Load(3, busy: 6)), TimeSpan.FromMinutes(14)),
            (Input(3, Load(3, busy: 0)), TimeSpan.FromMinutes(1)),
            (Input(3, Load(3, busy: 0)), TimeSpan.FromMinutes(15))));
    }

    [Fact]
    public void Respects_min_and_max()
    {
        var hot = Input(6, Load(6, busy: 24, queue: 20));
        Assert.Equal(["hold 6 warming", "hold 6 at-max"], Run((hot, Window), (hot, Window)));
        var quiet = Input(1, Load(1, busy: 0), min: 1);
        Assert.Equal(["hold 1 steady", "hold 1 at-min"], Run((quiet, Window), (quiet, TimeSpan.FromMinutes(15))));
        var capped = Input(5, Load(5, busy: 20, queue: 20), max: 6);
        Assert.Equal(["hold 5 warming", "up 6 queue"], Run((capped, Window), (capped, Window)));
    }

    [Fact]
    public void Stays_under_the_monthly_cost_ceiling()
    {
        // 4 nodes at 84 + 1000 of other resources = 1336; the ceiling of 1500 leaves room for one more node, not two.
        var hot = Input(4, Load(4, busy: 16, queue: 10), ceiling: 1500, other: 1000);
        Assert.Equal(["hold 4 warming", "up 5 queue"], Run((hot, Window), (hot, Window)));
        var full = Input(4, Load(4, busy: 16, queue: 10), ceiling: 1400, other: 1000);
        Assert.Equal(["hold 4 warming", "hold 4 cost-ceiling"], Run((full, Window), (full, Window)));
    }

    [Fact]
    public void Holds_while_no_node_is_ready()
    {
        Assert.Equal(["hold 2 no-ready-nodes", "hold 2 no-ready-nodes"], Run((Input(2, null), Window), (Input(2, Load(0, 0, queue: 30)), Window)));
    }

    [Fact]
    public void Explains_every_decision()
    {
        var policy = new AutoscalerPolicy(Options);
        var now = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        var (first, state) = policy.Decide(new AutoscaleState(), Input(2, Load(2, busy: 8, queue: 5, ttft: 3000)), now);
        Assert.Equal("queue 2.5/ready node ≥ 2, busy slots 8/8 ≥ 85%, ttft p95 3000 ms > 2000 ms (1/2 windows)", first.Detail);
        var (second, _) = policy.Decide(state, Input(2, Load(2, busy: 8, queue: 5, ttft: 3000), ceiling: 100), now + Window);
        Assert.Equal("queue 2.5/ready node ≥ 2, busy slots 8/8 ≥ 85%, ttft p95 3000 ms > 2000 ms, but one more node would cost 252/month > maxMonthlyCost 100", second.Detail);
    }
}
