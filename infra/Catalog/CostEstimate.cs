using Fleet.Infra.Configuration;

namespace Fleet.Infra.Catalog;

/// <summary>Estimated monthly list price of a fleet's servers, from the dated catalog.</summary>
public sealed record CostEstimate(IReadOnlyList<CostLine> Lines, decimal Total, string Currency, string AsOf, IReadOnlyList<string> Unpriced)
{
    public static CostEstimate For(FleetConfig config, FleetNamesView names)
    {
        var catalog = CloudCatalog.For(config.Cloud);
        var lines = new List<CostLine> { Line(catalog, "manager", names.Manager, "-", config.Manager.Size) };
        foreach (var (pool, id) in config.Workers) lines.Add(Line(catalog, "worker", names.Worker(pool, id), pool.Name, pool.Size));
        return new CostEstimate(lines, lines.Sum(l => l.MonthlyPrice ?? 0), catalog.Currency, catalog.AsOf,
            lines.Where(l => l.MonthlyPrice is null).Select(l => l.Size).Distinct().ToArray());
    }

    private static CostLine Line(CloudCatalog catalog, string role, string name, string pool, string size) =>
        new(role, name, pool, size, catalog.FindSize(size)?.MonthlyPrice);
}

/// <summary>One server in a cost estimate; <see cref="MonthlyPrice"/> is null when the size is not in the table.</summary>
public sealed record CostLine(string Role, string Name, string Pool, string Size, decimal? MonthlyPrice);

/// <summary>The server names a cost estimate shows.</summary>
public sealed record FleetNamesView(string Manager, Func<PoolConfig, string, string> Worker);
