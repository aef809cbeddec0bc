using System.Text.Json.Nodes;

namespace Fleet.Infra.Configuration;

/// <summary><c>fleet:policy</c>: enforcement and guard rails the policy pack checks.</summary>
public static class PolicyReader
{
    public const int DefaultMaxNodes = 100;

    public static PolicyConfig? Read(ConfigFieldReader f, JsonNode? node, string ns)
    {
        var path = ns + "policy";
        var obj = f.Object(node, path, "'{\"enforcement\":\"mandatory\"}'", required: false);
        if (obj is null) return node is null ? new PolicyConfig(true, [], [], DefaultMaxNodes, null) : null;
        var errors = f.Bag.ErrorCount;
        f.RejectUnknownKeys(obj, path, "enforcement", "allowedRegions", "allowedSizes", "maxNodes", "maxMonthlyCost");
        var enforcement = f.String(obj["enforcement"], path + ".enforcement", "mandatory", required: false) ?? "mandatory";
        if (enforcement is not ("mandatory" or "advisory"))
            f.Bag.Error(ConfigCodes.NotAllowed, path + ".enforcement", $"{path}.enforcement \"{ConfigFieldReader.Printable(enforcement)}\" must be mandatory or advisory", ConfigFix.Set(path + ".enforcement", "mandatory"));
        var regions = f.StringList(obj["allowedRegions"], path + ".allowedRegions", "'[\"fra1\"]'", required: false) ?? [];
        var sizes = f.StringList(obj["allowedSizes"], path + ".allowedSizes", "'[\"s-4vcpu-8gb\"]'", required: false) ?? [];
        var maxNodes = f.Int(obj["maxNodes"], path + ".maxNodes", 1, 10_000, DefaultMaxNodes) ?? DefaultMaxNodes;
        var cost = f.Int(obj["maxMonthlyCost"], path + ".maxMonthlyCost", 1, 10_000_000, 500);
        if (f.Bag.ErrorCount > errors) return null;
        return new PolicyConfig(enforcement == "mandatory", regions, sizes, maxNodes, cost);
    }
}
