using Fleet.Infra.Model;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Infra.Catalog;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Policy.Model;

namespace Fleet.Infra.Synthesis;

/// <summary>
/// Presents a program to the policy pack as CrossGuard would: type tokens and inputs, literals unescaped,
/// references left symbolic (<c>${manager.id}</c>), functions as <c>{"fn::…": …}</c> objects.
/// </summary>
public static class PolicyInput
{
    public static PolicyProgram From(PulumiProgram program, FleetConfig config)
    {
        var catalog = CloudCatalog.For(config.Cloud);
        var context = new PolicyContext(
            config.Cloud.ToString().ToLowerInvariant(), config.AdminCidrs, config.NetworkCidr, config.Domain,
            config.Policy.AllowedRegions, config.Policy.AllowedSizes, config.Policy.MaxNodes, config.Policy.MaxMonthlyCost, catalog.Currency,
            size => catalog.FindSize(size)?.MonthlyPrice, size => catalog.FindSize(size)?.IsGpu, catalog.HasGpuSizes, config.Policy.Mandatory);
        var resources = program.Resources.Select(r => new PolicyResource(r.Name, r.Type, (JsonObject)ToJson(r.Properties)!, (JsonObject)ToJson(r.Options)!)).ToArray();
        return new PolicyProgram(resources, context);
    }

    public static JsonNode? ToJson(PValue value) => value switch
    {
        PString s => JsonValue.Create(Text(s.Raw)),
        PNumber n => JsonValue.Create(n.Value),
        PBool b => JsonValue.Create(b.Value),
        PList l => new JsonArray(l.Items.Select(ToJson).ToArray()),
        PMap m => new JsonObject(m.Entries.Select(e => KeyValuePair.Create(e.Key, ToJson(e.Value)))),
        _ => null,
    };

    private static string Text(string raw)
    {
        if (!raw.Contains('$')) return raw;
        var sb = new StringBuilder(raw.Length);
        foreach (var part in Interpolation.Parse(raw)) sb.Append(part.IsReference ? "${" + part.Text + "}" : part.Text);
        return sb.ToString();
    }
}
