using System.Globalization;
using System.Text;
using Fleet.Infra.Catalog;
using Fleet.Infra.Configuration;

namespace Fleet.Infra.Observability;

/// <summary>
/// The rules only this fleet's configuration can write (<c>fleet-pools.yml</c> beside <c>fleet-alerts.yml</c>): each
/// pool's list price per hour and an autoscaled pool's <c>max</c> as constant series, the fleet's cost per hour (price × the nodes the
/// gateway knows per pool, plus the manager), and the alert for an autoscaled pool saturated at its max. Nothing in it
/// depends on a pool's node count, so scaling leaves it unchanged.
/// </summary>
public static class FleetPoolRules
{
    /// <summary>Hours in a month as the catalog counts them (GPU sizes are listed as hourly × 730).</summary>
    public const decimal HoursPerMonth = 730m;

    /// <summary>The hourly list price the rules record for a catalog size, or null when the catalog does not list it.</summary>
    public static decimal? HourlyPrice(CloudCatalog catalog, string size) =>
        catalog.FindSize(size) is { } s ? decimal.Round(s.MonthlyPrice / HoursPerMonth, 6, MidpointRounding.ToEven) : null;

    /// <summary>The rules file for <paramref name="config"/>; <c>promtool check rules</c> runs on it in the tests.</summary>
    public static string Render(FleetConfig config)
    {
        var catalog = CloudCatalog.For(config.Cloud);
        var sb = new StringBuilder();
        sb.Append("# Rendered by infra/Observability/FleetPoolRules.cs from fleet:pools and the list prices of infra/Catalog/CloudCatalog.cs\n");
        sb.Append("# (").Append(catalog.Cloud).Append(", as of ").Append(catalog.AsOf).Append(", ").Append(catalog.Currency)
            .Append(", monthly / 730). A size the catalog does not list has no price series, so its cost is missing from the totals.\n");
        sb.Append("groups:\n  - name: fleet-pools\n    rules:\n");

        if (HourlyPrice(catalog, config.Manager.Size) is { } manager)
            Constant(sb, "fleet:manager_hourly_price", manager, ("size", config.Manager.Size), ("currency", catalog.Currency));
        else
            sb.Append("      # manager: size ").Append(Quote(config.Manager.Size)).Append(" is not in the catalog\n");
        foreach (var pool in config.Pools)
        {
            if (HourlyPrice(catalog, pool.Size) is { } price)
                Constant(sb, "fleet:pool_hourly_price", price, ("pool", pool.Name), ("size", pool.Size), ("currency", catalog.Currency));
            else
                sb.Append("      # pool ").Append(Quote(pool.Name)).Append(": size ").Append(Quote(pool.Size)).Append(" is not in the catalog\n");
            // Autoscaled pools only: their max is where the autoscaler stops. Another pool's max follows its node count by
            // default, and scaling must not rewrite this file (a Swarm config is replaced, restarting Prometheus).
            if (pool.Autoscale) Constant(sb, "fleet:pool_max_nodes", pool.Max, ("pool", pool.Name));
        }

        // Every node the gateway knows has exactly one state at 1 (dead ones too: they are billed until replaced).
        Record(sb, "fleet:pool_nodes", "count by (pool) (fleet_gateway_node_state == 1)");
        Record(sb, "fleet:pool_hourly_cost", "fleet:pool_hourly_price * on (pool) group_left () fleet:pool_nodes");
        Record(sb, "fleet:hourly_cost", "sum by (currency) (fleet:pool_hourly_cost or fleet:manager_hourly_price)");

        sb.Append("""
                  - alert: FleetPoolSaturatedAtMax
                    expr: |
                      (sum by (pool) (fleet_gateway_node_slots_busy) / sum by (pool) (fleet_gateway_node_slots) >= 0.9)
                        and on (pool) (sum by (pool) (fleet_gateway_node_queue_depth) > 0)
                        and on (pool) (fleet:pool_nodes >= on (pool) fleet:pool_max_nodes)
                    for: 10m
                    labels:
                      severity: critical
                    annotations:
                      summary: "Pool {{ $labels.pool }} is saturated at its max"
                      description: "At least 90 % of the pool's slots have been busy with requests queued for 10 minutes, and the autoscaled pool has as many nodes as fleet:pools[].max allows: the autoscaler cannot add any. Raise the pool's max (pulumi config set --path 'fleet:pools[<i>].max' <n>) or add a pool."

            """);
        return sb.ToString();
    }

    private static void Constant(StringBuilder sb, string record, decimal value, params (string Name, string Value)[] labels)
    {
        Record(sb, record, "vector(" + value.ToString(CultureInfo.InvariantCulture) + ")");
        sb.Append("        labels:\n");
        foreach (var (name, v) in labels) sb.Append("          ").Append(name).Append(": ").Append(Quote(v)).Append('\n');
    }

    private static void Record(StringBuilder sb, string record, string expr) =>
        sb.Append("      - record: ").Append(record).Append("\n        expr: ").Append(expr).Append('\n');

    /// <summary>A YAML double-quoted scalar (pool names and sizes are letters, digits, - _ .; this keeps any value inert).</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
