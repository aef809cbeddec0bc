using Fleet.Policy.Model;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP009: servers use only the regions and sizes the stack allows (<c>fleet:policy.allowedRegions/allowedSizes</c>).</summary>
public sealed class AllowedPlacementRule : ResourceRule
{
    public override string Id => "FP009";
    public override string Name => "allowed-regions-and-sizes";
    public override string Description => "Servers use only the regions and sizes listed in fleet:policy.allowedRegions / allowedSizes (when set).";

    public override void Check(PolicyResource resource, PolicyContext context, PolicyReport report)
    {
        var (region, size) = (resource.Package, resource.Kind) switch
        {
            ("digitalocean", "Droplet") => (Json.Str(resource.Inputs["region"]), Json.Str(resource.Inputs["size"])),
            ("hcloud", "Server") => (Json.Str(resource.Inputs["location"]), Json.Str(resource.Inputs["serverType"])),
            _ => (null, null),
        };
        if (region is not null && context.AllowedRegions.Count > 0 && !context.AllowedRegions.Contains(region))
            report.Violation(resource.Name, $"region \"{region}\" is not allowed for this stack (allowed: {string.Join(", ", context.AllowedRegions)})", "change fleet:region or fleet:policy.allowedRegions");
        if (size is not null && context.AllowedSizes.Count > 0 && !context.AllowedSizes.Contains(size))
            report.Violation(resource.Name, $"size \"{size}\" is not allowed for this stack (allowed: {string.Join(", ", context.AllowedSizes)})", "change the size or fleet:policy.allowedSizes");
    }
}
