using System.Globalization;

namespace Fleet.Stacks.Autoscaling;

/// <summary>
/// The autoscaler's rules, as a pure function of the pool's figures, its remembered state and the time:
/// up fast (by a fraction of the pool, at least one node) after <see cref="AutoscalerOptions.HotWindows"/> saturated
/// windows; down one node per quiet period; nothing during the cooldown after an <c>up</c> (<see cref="AutoscaleState.LastUpAt"/>:
/// the autoscaler's own, or any <c>pulumi up</c> of the stack); within min/max and under the
/// stack's monthly-cost ceiling. Scale from zero comes first: when the pool is the one chosen to start its model
/// (<see cref="AutoscaleInput.ColdModel"/>), requests wait for that model and no node of it is ready, the pool goes up at
/// once (<c>cold-start</c>: no saturated windows, no cooldown), unless the gateway already knows a booting node of the pool
/// or its last cold start is younger than the cooldown (<c>starting</c>). On Hetzner (billed per started hour) a quiet
/// pool gives a node back only in the last <see cref="PaidHourMargin"/> of that node's paid hour (<c>paid-hour</c>
/// until then): earlier saves nothing, and the pool keeps a node it has paid for; down to <c>min</c>, 0 included.
/// </summary>
public sealed class AutoscalerPolicy(AutoscalerOptions options)
{
    /// <summary>
    /// How close to the end of its paid hour a Hetzner node must be before a quiet pool removes it: room for a window
    /// (15 s by default), the drain of an idle node and the <c>up</c> that deletes the server, before the next hour starts.
    /// </summary>
    public static readonly TimeSpan PaidHourMargin = TimeSpan.FromMinutes(5);

    public (AutoscaleDecision Decision, AutoscaleState State) Decide(AutoscaleState state, AutoscaleInput input, DateTimeOffset now)
    {
        var n = input.Current;
        var load = input.Load;
        if (input.ColdModel is { Cold: true } cold)
            return ColdStart(state, input, cold, now);
        if (load is null || load.ReadyNodes == 0)
            return Hold(state with { HotWindows = 0, QuietSince = null }, n, "no-ready-nodes", "the gateway reports no ready node in the pool (booting or down)");

        var hot = Saturation(load);
        var busy = load.SlotsTotal == 0 ? 0 : (double)load.SlotsBusy / load.SlotsTotal;
        var quiet = hot.Count == 0 && busy <= options.BusyLow && load.QueueDepth == 0;
        var next = state with
        {
            HotWindows = hot.Count > 0 ? state.HotWindows + 1 : 0,
            QuietSince = quiet ? state.QuietSince ?? now : null,
        };

        if (state.LastUpAt is { } up && now - up < options.CooldownAfterUp)
            return Hold(next, n, "cooldown", $"last up at {up:HH:mm:ss}; cooldown until {up + options.CooldownAfterUp:HH:mm:ss}");

        if (hot.Count > 0)
        {
            var why = string.Join(", ", hot.Select(h => h.Detail));
            if (next.HotWindows < options.HotWindows)
                return Hold(next, n, "warming", $"{why} ({next.HotWindows}/{options.HotWindows} windows)");
            return Up(next with { HotWindows = 0, QuietSince = null, LastUpAt = now }, next, input, hot[0].Code, why, $"{why} for {next.HotWindows} windows");
        }

        if (quiet && now - next.QuietSince!.Value >= options.Quiet)
        {
            if (n <= input.Min) return Hold(next, n, "at-min", $"quiet, but the pool is at its min {input.Min}");
            if (input.PaidMinutesLeft is { } left && left > PaidHourMargin.TotalMinutes)
                return Hold(next, n, "paid-hour", $"quiet, but the node a step down removes has {left.ToString("0", CultureInfo.InvariantCulture)} min of its paid hour left; it goes in the last {PaidHourMargin.TotalMinutes:0} min");
            return (new AutoscaleDecision("down", n, n - 1, "quiet", $"busy {Percent(busy)} ≤ {Percent(options.BusyLow)}, nothing queued for {(now - next.QuietSince!.Value).TotalMinutes:0} min"),
                next with { QuietSince = now });
        }
        return Hold(next, n, "steady", quiet
            ? $"quiet for {(now - next.QuietSince!.Value).TotalMinutes:0.#}/{options.Quiet.TotalMinutes:0} min"
            : $"busy {Percent(busy)}, queue {load.QueueDepth}, ttft p95 {load.TtftP95Ms:0} ms");
    }

    private (AutoscaleDecision, AutoscaleState) ColdStart(AutoscaleState state, AutoscaleInput input, Gateway.GatewayModelLoad cold, DateTimeOffset now)
    {
        var n = input.Current;
        var next = state with { HotWindows = 0, QuietSince = null };
        var why = $"{cold.Held} held, {cold.Waiting} waiting for model {cold.Model} and no ready node serves it";
        if (input.Load is { Nodes: > 0 } booting)
            return Hold(next, n, "starting", $"{why}; {booting.Nodes} node(s) of the pool are known to the gateway but not ready yet");
        if (state.ColdStartAt is { } started && now - started < options.CooldownAfterUp)
            return Hold(next, n, "starting", $"{why}; a node was started at {started:HH:mm:ss}, no second cold start before {started + options.CooldownAfterUp:HH:mm:ss}");
        return Up(next with { LastUpAt = now, ColdStartAt = now }, next, input, "cold-start", why, why);
    }

    /// <summary>Up by the step (at least one node), within max and the cost ceiling; else a hold saying which bound.</summary>
    private (AutoscaleDecision, AutoscaleState) Up(AutoscaleState after, AutoscaleState held, AutoscaleInput input, string reason, string why, string detail)
    {
        var n = input.Current;
        if (n >= input.Max) return Hold(held, n, "at-max", $"{why}, but the pool is at its max {input.Max}");
        var target = Math.Min(input.Max, n + Math.Max(1, (int)Math.Ceiling(n * options.UpStepFraction)));
        while (target > n && Over(input, target)) target--;
        if (target == n)
            return Hold(held, n, "cost-ceiling", $"{why}, but one more node would cost {Cost(input, n + 1):0.##}/month > maxMonthlyCost {input.MaxMonthlyCost:0.##}");
        return (new AutoscaleDecision("up", n, target, reason, detail), after);
    }

    private List<(string Code, string Detail)> Saturation(Gateway.GatewayPoolLoad load)
    {
        var list = new List<(string, string)>();
        var perNode = (double)load.QueueDepth / load.ReadyNodes;
        if (perNode >= options.QueuePerReadyNode) list.Add(("queue", $"queue {perNode.ToString("0.#", CultureInfo.InvariantCulture)}/ready node ≥ {options.QueuePerReadyNode}"));
        if (load.SlotsTotal > 0 && (double)load.SlotsBusy / load.SlotsTotal >= options.BusyHigh)
            list.Add(("busy", $"busy slots {load.SlotsBusy}/{load.SlotsTotal} ≥ {Percent(options.BusyHigh)}"));
        if (load.TtftP95Ms > options.TtftTargetMs) list.Add(("ttft", $"ttft p95 {load.TtftP95Ms:0} ms > {options.TtftTargetMs:0} ms"));
        return list;
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static bool Over(AutoscaleInput input, int nodes) =>
        input.MaxMonthlyCost is { } max && input.NodeMonthlyPrice is not null && Cost(input, nodes) > max;

    private static decimal Cost(AutoscaleInput input, int nodes) => input.OtherMonthlyCost + nodes * (input.NodeMonthlyPrice ?? 0);

    private static (AutoscaleDecision, AutoscaleState) Hold(AutoscaleState state, int n, string reason, string detail) =>
        (new AutoscaleDecision("hold", n, n, reason, detail), state);
}
