using System.Globalization;
using Fleet.Infra.CloudInit;
using Fleet.Infra.Configuration;
using Fleet.Infra.AppLayer;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Orchestrators.K3s;

/// <summary>cloud-init for k3s nodes: the kubelet's kernel settings, the stack's tokens, and the install scripts.</summary>
public static class K3sBootstrap
{
    /// <summary>What <c>--protect-kernel-defaults</c> requires the kubelet to find already set.</summary>
    private const string KubeletSysctls = "vm.panic_on_oom=0\nvm.overcommit_memory=1\nkernel.panic=10\nkernel.panic_on_oops=1\n";

    public static PValue Server(FleetConfig config, PString publicAddress, PString serverToken, PString agentToken) =>
        new CloudConfigBuilder()
            .File("/etc/fleet/fleet.env", Px.Concat(EnvFile.Lines(
                ("FLEET_NETWORK_CIDR", config.NetworkCidr),
                ("FLEET_NETWORK_PROBE", NetworkAddresses.Host(config.NetworkCidr, 1)),
                ("FLEET_K3S_VERSION", FleetPorts.K3sVersion)), "FLEET_PUBLIC_ADDR=", publicAddress, "\n"), "0600")
            .File("/etc/fleet/k3s-server-token", serverToken, "0600")
            .File("/etc/fleet/k3s-agent-token", agentToken, "0600")
            .File("/etc/sysctl.d/90-kubelet.conf", Px.Lit(KubeletSysctls))
            .Script("fleet-common.sh")
            .Script("fleet-k3s-server.sh")
            .Run($"{CloudConfigBuilder.ScriptDirectory}/fleet-k3s-server.sh")
            .ToUserData(secret: true);

    /// <summary>A worker: only the agent token — never the server token — plus its own credential and labels.</summary>
    public static PValue Agent(FleetConfig config, PoolConfig pool, PString managerPrivateAddress, PString agentToken, PString credential)
    {
        var uid = FleetPorts.AgentUid.ToString(CultureInfo.InvariantCulture);
        var init = new CloudConfigBuilder()
            .File("/etc/fleet/fleet.env", Px.Concat(EnvFile.Lines(
                ("FLEET_NETWORK_CIDR", config.NetworkCidr),
                ("FLEET_K3S_VERSION", FleetPorts.K3sVersion),
                ("FLEET_POOL", pool.Name),
                ("FLEET_GPU", pool.Gpu ? "true" : "false"),
                ("FLEET_AGENT_UID", uid)), "FLEET_MANAGER_ADDR=", managerPrivateAddress, "\n"), "0600")
            .File("/etc/fleet/k3s-agent-token", agentToken, "0600")
            .File("/etc/fleet/node-credential", credential, "0600")
            .File("/etc/sysctl.d/90-kubelet.conf", Px.Lit(KubeletSysctls))
            .Script("fleet-common.sh")
            .Script("fleet-k3s-agent.sh")
            // The agent's model cache on the node, owned by the agent's user (a hostPath volume in its pod).
            .Run("install", "-d", "-o", uid, "-g", uid, "-m", "0750", AgentEnvironment.CacheDir);
        if (pool.Gpu)
            init.Script("fleet-gpu-driver.sh").Run($"{CloudConfigBuilder.ScriptDirectory}/fleet-gpu-driver.sh");
        return init.Run($"{CloudConfigBuilder.ScriptDirectory}/fleet-k3s-agent.sh").ToUserData(secret: true);
    }
}
