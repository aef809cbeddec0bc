using System.Text.RegularExpressions;

namespace Fleet.Infra.Catalog;

/// <summary>
/// A dated table of regions, server sizes and list prices, for validation messages and <c>fleet plan</c> costs.
/// Clouds rename sizes: an unknown but well-formed size is a warning naming <see cref="AsOf"/>, not an error.
/// </summary>
public sealed partial record CloudCatalog(CloudKind Cloud, string AsOf, string Currency, IReadOnlyList<string> Regions, IReadOnlyList<ServerSize> Sizes, Regex SizeShape)
{
    public ServerSize? FindSize(string slug) => Sizes.FirstOrDefault(s => s.Slug == slug);

    public bool HasGpuSizes => Sizes.Any(s => s.IsGpu);

    public static CloudCatalog For(CloudKind cloud) => cloud == CloudKind.DigitalOcean ? DigitalOcean : Hetzner;

    /// <summary>DigitalOcean list prices (USD), read from digitalocean.com/pricing.</summary>
    public static readonly CloudCatalog DigitalOcean = new(
        CloudKind.DigitalOcean, "2026-11-01", "USD",
        ["ams3", "atl1", "blr1", "fra1", "lon1", "nyc1", "nyc2", "nyc3", "ric1", "sfo2", "sfo3", "sgp1", "syd1", "tor1"],
        [
            new("s-1vcpu-1gb", 1, 1, 6m), new("s-1vcpu-2gb", 1, 2, 12m), new("s-2vcpu-2gb", 2, 2, 18m),
            new("s-2vcpu-4gb", 2, 4, 24m), new("s-4vcpu-8gb", 4, 8, 48m), new("s-8vcpu-16gb", 8, 16, 96m),
            new("c-2", 2, 4, 42m), new("c-4", 4, 8, 84m), new("c-8", 8, 16, 168m), new("c-16", 16, 32, 336m), new("c-32", 32, 64, 672m),
            new("g-2vcpu-8gb", 2, 8, 63m), new("g-4vcpu-16gb", 4, 16, 126m), new("g-8vcpu-32gb", 8, 32, 252m), new("g-16vcpu-64gb", 16, 64, 504m),
            new("m-2vcpu-16gb", 2, 16, 84m), new("m-4vcpu-32gb", 4, 32, 168m), new("m-8vcpu-64gb", 8, 64, 336m),
            new("gpu-rtx4000x1-20gb", 8, 32, 554.80m, "NVIDIA RTX 4000 Ada 20GB"),
            new("gpu-rtx6000adax1-48gb", 8, 64, 1146.10m, "NVIDIA RTX 6000 Ada 48GB"),
            new("gpu-l40sx1-48gb", 8, 64, 1146.10m, "NVIDIA L40S 48GB"),
            new("gpu-h100x1-80gb", 20, 240, 2474.70m, "NVIDIA H100 80GB"),
            new("gpu-h100x8-640gb", 160, 1920, 17461.60m, "8x NVIDIA H100 80GB"),
        ],
        DoSlug());

    /// <summary>Hetzner Cloud list prices (EUR, Germany/Finland, IPv4 included), read from hetzner.com/cloud. No GPU types.</summary>
    public static readonly CloudCatalog Hetzner = new(
        CloudKind.Hetzner, "2026-11-01", "EUR",
        ["ash", "fsn1", "hel1", "hil", "nbg1", "sin"],
        [
            new("cx23", 2, 4, 3.49m), new("cx33", 4, 8, 5.49m), new("cx43", 8, 16, 9.49m), new("cx53", 16, 32, 17.49m),
            new("cpx22", 2, 4, 7.99m), new("cpx32", 4, 8, 13.99m), new("cpx42", 8, 16, 25.49m), new("cpx52", 12, 24, 36.49m), new("cpx62", 16, 32, 49.99m),
            new("ccx13", 2, 8, 13.99m), new("ccx23", 4, 16, 27.49m), new("ccx33", 8, 32, 54.99m), new("ccx43", 16, 64, 109.99m),
            new("ccx53", 32, 128, 219.99m), new("ccx63", 48, 192, 329.99m),
        ],
        HetznerType());

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex DoSlug();

    [GeneratedRegex("^[a-z]{2,4}[0-9]{2,3}$")]
    private static partial Regex HetznerType();
}
