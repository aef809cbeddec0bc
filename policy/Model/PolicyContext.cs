namespace Fleet.Policy.Model;

/// <summary>The stack-level facts rules need beyond the resources: the planes, the guard rails and the price table.</summary>
public sealed record PolicyContext(
    string Cloud,
    IReadOnlyList<string> AdminCidrs,
    string NetworkCidr,
    string? Domain,
    IReadOnlyList<string> AllowedRegions,
    IReadOnlyList<string> AllowedSizes,
    int MaxNodes,
    decimal? MaxMonthlyCost,
    string Currency,
    Func<string, decimal?> MonthlyPrice,
    Func<string, bool?> IsGpuSize,
    bool CloudHasGpuSizes,
    bool Mandatory);
