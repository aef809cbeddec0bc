using System.Globalization;
using Fleet.Infra.Configuration;
using Fleet.Infra.Model;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.AppLayer;

/// <summary>
/// The settings the gateway gets on either orchestrator, besides its files: the trust boundary for node heartbeats (a node
/// may advertise only its own address inside the private network, on the agent port, with at most the slots the stack
/// gave it) and a request body limit in proportion to the model's context (gateway/README.md).
/// </summary>
public static class GatewayEnvironment
{
    /// <summary>About 16 bytes per context token covers escaped and non-Latin text; never below 64 KiB, never above 8 MiB.</summary>
    public static int MaxRequestBodyBytes(ModelConfig model) => Math.Clamp(model.ContextSize * 16, 65536, 8 * 1024 * 1024);

    public static IReadOnlyList<(string Name, PValue Value)> For(FleetConfig config) =>
    [
        ("FLEET_PRIVATE_CIDR", Px.Lit(config.NetworkCidr)),
        ("FLEET_AGENT_PORT", Px.Lit(FleetPorts.Agent.ToString(CultureInfo.InvariantCulture))),
        ("FLEET_MAX_SLOTS_PER_NODE", Px.Lit(config.Models.Values.Append(config.Model).Max(m => m.Parallel).ToString(CultureInfo.InvariantCulture))),
        ("FLEET_MAX_REQUEST_BODY_BYTES", Px.Lit(config.Models.Values.Append(config.Model).Max(MaxRequestBodyBytes).ToString(CultureInfo.InvariantCulture))),
        // With fleet:models: the ids the gateway lists and holds requests for while their pool has no ready node
        // (scale from zero, gateway/README.md). A one-model fleet keeps the gateway's own behaviour.
        .. config.Models.Values.Any(m => m.Name is not null)
            ? [("FLEET_MODELS", Px.Lit(string.Join(",", config.Models.Keys.Order(StringComparer.Ordinal))))]
            : Array.Empty<(string, PValue)>(),
    ];
}
