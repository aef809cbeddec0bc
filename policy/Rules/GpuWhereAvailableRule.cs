using Fleet.Policy.Model;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP010: GPU sizes only on a cloud that has GPU server types.</summary>
public sealed class GpuWhereAvailableRule : ResourceRule
{
    public override string Id => "FP010";
    public override string Name => "gpu-only-where-offered";
    public override string Description => "A GPU size is used only on a cloud that offers GPU server types (Hetzner Cloud has none).";

    public override void Check(PolicyResource resource, PolicyContext context, PolicyReport report)
    {
        var size = Json.Str(resource.Inputs["size"]) ?? Json.Str(resource.Inputs["serverType"]);
        if (size is null || resource.Kind is not ("Droplet" or "Server")) return;
        var gpu = context.IsGpuSize(size) ?? size.Contains("gpu", StringComparison.OrdinalIgnoreCase);
        if (gpu && !context.CloudHasGpuSizes)
            report.Violation(resource.Name, $"size \"{size}\" is a GPU type but {context.Cloud} offers no GPU servers", "move the GPU pool to a cloud with GPU sizes (digitalocean)");
    }
}
