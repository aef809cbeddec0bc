using System.Globalization;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.AppLayer;

/// <summary>
/// The settings every agent gets, whatever runs it (Swarm service or k3s DaemonSet): one list, so the orchestrators
/// cannot drift apart. Each orchestrator adds only what is its own (how the node name is filled in, GPU exposure).
/// </summary>
public static class AgentEnvironment
{
    /// <summary>The agent image's cache folder, owned by its user.</summary>
    public const string CacheDir = "/var/cache/fleet-agent";

    /// <summary>Where the node's credential file (written by cloud-init) is mounted in the agent's container.</summary>
    public const string CredentialPath = "/run/fleet/node-credential";

    public static IReadOnlyList<(string Name, PValue Value)> For(FleetConfig config, PoolConfig pool, PString managerPrivateAddress)
    {
        var m = config.ModelOf(pool);
        return
        [
            // With fleet:models the agent reports the configured id (what clients send), not the file name.
            .. m.Name is { } id ? [("FLEET_MODEL_ID", Px.Lit(id))] : Array.Empty<(string, PValue)>(),
            ("ASPNETCORE_URLS", Px.Lit($"http://0.0.0.0:{FleetPorts.Agent}")),
            ("FLEET_MODEL_URL", Px.Lit(m.Url)),
            ("FLEET_MODEL_SHA256", Px.Lit(m.Sha256)),
            ("FLEET_CACHE_DIR", Px.Lit(CacheDir)),
            ("FLEET_CONTEXT_SIZE", Px.Lit(Str(m.ContextSize))),
            ("FLEET_GPU_LAYERS", Px.Lit(Str(GpuLayers(pool, m)))),
            ("FLEET_PARALLEL_SLOTS", Px.Lit(Str(m.Parallel))),
            ("FLEET_POOL", Px.Lit(pool.Name)),
            ("FLEET_NODE_CREDENTIAL_FILE", Px.Lit(CredentialPath)),
            ("FLEET_GATEWAY_URL", Px.Concat("http://", managerPrivateAddress, $":{FleetPorts.Agent}")),
            // The agent listens on the node's private address (host networking) and advertises it to the gateway.
            ("FLEET_ADVERTISE_CIDR", Px.Lit(config.NetworkCidr)),
        ];
    }

    /// <summary>Layers to offload: the pool's setting, else the model's, else all of them on a GPU pool; none on CPU.</summary>
    public static int GpuLayers(PoolConfig pool, ModelConfig model) =>
        !pool.Gpu ? 0 : pool.GpuLayers ?? (model.GpuLayers > 0 ? model.GpuLayers : 999);

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
