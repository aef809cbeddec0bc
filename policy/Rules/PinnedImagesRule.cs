using Fleet.Policy.Model;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP008: every container image is pinned by version tag or digest.</summary>
public sealed class PinnedImagesRule : ResourceRule
{
    public override string Id => "FP008";
    public override string Name => "images-pinned";
    public override string Description => "Every container image is pinned by a tag other than latest, or by digest.";

    public override void Check(PolicyResource resource, PolicyContext context, PolicyReport report)
    {
        IEnumerable<string?> images = resource.Type switch
        {
            "docker:index/service:Service" => [Json.Str(resource.Inputs["taskSpec"]?["containerSpec"]?["image"])],
            "kubernetes:apps/v1:Deployment" or "kubernetes:apps/v1:DaemonSet" or "kubernetes:apps/v1:StatefulSet" =>
                Json.Items(resource.Inputs["spec"]?["template"]?["spec"]?["containers"]).Concat(Json.Items(resource.Inputs["spec"]?["template"]?["spec"]?["initContainers"]))
                    .Select(c => Json.Str(c?["image"])),
            _ => [],
        };
        foreach (var image in images)
            if (image is not null && !image.StartsWith("${", StringComparison.Ordinal) && !ImageReference.IsPinned(image))
                report.Violation(resource.Name, $"image \"{image}\" is not pinned; nodes could run different builds", "use a version tag or @sha256:<digest> in fleet:images");
    }
}
