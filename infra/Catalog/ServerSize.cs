namespace Fleet.Infra.Catalog;

/// <summary>A server type the catalog knows, with its list price.</summary>
/// <param name="MonthlyPrice">List price per month in <see cref="CloudCatalog.Currency"/> (GPU sizes: hourly × 730).</param>
public sealed record ServerSize(string Slug, int Vcpus, int MemoryGiB, decimal MonthlyPrice, string? Gpu = null)
{
    public bool IsGpu => Gpu is not null;
}
