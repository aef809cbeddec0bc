using System.Text.Json.Nodes;

namespace Fleet.Infra.Configuration;

/// <summary><c>fleet:images</c>: every image must be pinned by a tag other than <c>latest</c>, or by digest.</summary>
public static partial class ImagesReader
{
    public const string DefaultCaddy = "caddy:2.10.2";

    public static ImagesConfig? Read(ConfigFieldReader f, JsonNode? node, string ns)
    {
        var path = ns + "images";
        var obj = f.Object(node, path, "'{\"agent\":\"registry.example.com/fleet/agent:0.1.0\",\"gateway\":\"registry.example.com/fleet/gateway:0.1.0\"}'", required: true);
        if (obj is null) return null;
        var errors = f.Bag.ErrorCount;
        f.RejectUnknownKeys(obj, path, "agent", "agentGpu", "gateway", "caddy", "control");
        var agent = Image(f, obj["agent"], path + ".agent", "registry.example.com/fleet/agent:0.1.0", required: true);
        var agentGpu = Image(f, obj["agentGpu"], path + ".agentGpu", "registry.example.com/fleet/agent:0.1.0-cuda12", required: false);
        var gateway = Image(f, obj["gateway"], path + ".gateway", "registry.example.com/fleet/gateway:0.1.0", required: true);
        var caddy = Image(f, obj["caddy"], path + ".caddy", DefaultCaddy, required: false) ?? DefaultCaddy;
        var control = Image(f, obj["control"], path + ".control", "registry.example.com/fleet/control:0.1.0", required: false);
        if (f.Bag.ErrorCount > errors || agent is null || gateway is null) return null;
        return new ImagesConfig(agent, agentGpu, gateway, caddy, control);
    }

    /// <summary>True when the reference names a digest, or a tag other than <c>latest</c> (the policy pack's definition).</summary>
    public static bool IsPinned(string reference) => Fleet.Policy.ImageReference.IsPinned(reference);

    private static string? Image(ConfigFieldReader f, JsonNode? node, string path, string example, bool required)
    {
        var image = f.String(node, path, example, required);
        if (image is null) return null;
        if (image.Length > 255 || image.Any(char.IsAsciiLetterUpper) || !ReferenceShape().IsMatch(image))
        {
            f.Bag.Error(ConfigCodes.BadFormat, path, $"{path} \"{ConfigFieldReader.Printable(image)}\" is not an image reference [registry[:port]/]name[:tag][@sha256:digest] (lowercase letters, digits and . _ - / only)", ConfigFix.Set(path, example));
            return null;
        }
        if (!IsPinned(image))
        {
            f.Bag.Error(ConfigCodes.NotAllowed, path, $"{path} \"{image}\" is not pinned; use a version tag other than latest, or @sha256:<digest>, so every node runs the same build", ConfigFix.Set(path, example));
            return null;
        }
        return image;
    }

    /// <summary>The distribution reference grammar (github.com/distribution/reference), lowercase tags.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[a-z0-9_][a-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$")]
    private static partial System.Text.RegularExpressions.Regex ReferenceShape();
}
