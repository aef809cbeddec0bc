using System.Globalization;
using Fleet.Infra.CloudInit;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Orchestrators.Swarm;

/// <summary>cloud-init for Swarm nodes: Docker Engine from the distribution, the bootstrap scripts, and their values.</summary>
public static class SwarmBootstrap
{
    private const string DockerTlsDir = "/etc/fleet/docker-tls";

    /// <summary>The manager: Docker's API on 2376 with mutual TLS, then <c>swarm init</c> on the private address.</summary>
    public static PValue Manager(FleetConfig config, DockerTlsPki pki)
    {
        var init = new CloudConfigBuilder()
            .Package("docker.io")
            .File("/etc/fleet/fleet.env", Px.Lit(EnvFile.Lines(
                ("FLEET_NETWORK_CIDR", config.NetworkCidr),
                ("FLEET_NETWORK_PROBE", NetworkAddresses.Host(config.NetworkCidr, 1)),
                ("FLEET_OVERLAY_POOL", FleetPorts.SwarmOverlayPool))), "0600")
            .File($"{DockerTlsDir}/ca.pem", pki.Ca.Out("certPem"))
            .File($"{DockerTlsDir}/server-cert.pem", pki.ServerCert.Out("certPem"))
            .File($"{DockerTlsDir}/server-key.pem", pki.ServerKey.Out("privateKeyPem"), "0600")
            .File("/etc/systemd/system/docker.service.d/fleet-tls.conf", Px.Lit(DockerTlsDropIn()))
            .Script("fleet-common.sh")
            .Script("fleet-swarm-manager.sh")
            .Run($"{CloudConfigBuilder.ScriptDirectory}/fleet-swarm-manager.sh");
        return init.ToUserData(secret: true);
    }

    /// <summary>A worker: engine labels for pool and GPU, its own agent credential, then <c>swarm join</c> with the worker token.</summary>
    public static PValue Worker(FleetConfig config, PoolConfig pool, PString managerPrivateAddress, PString workerToken, PString credential)
    {
        var init = new CloudConfigBuilder()
            .Package("docker.io")
            .File("/etc/fleet/fleet.env", Px.Concat(EnvFile.Lines(
                ("FLEET_NETWORK_CIDR", config.NetworkCidr),
                ("FLEET_AGENT_UID", FleetPorts.AgentUid.ToString(CultureInfo.InvariantCulture))), "FLEET_MANAGER_ADDR=", managerPrivateAddress, "\n"), "0600")
            .File("/etc/fleet/swarm-token", workerToken, "0600")
            .File("/etc/fleet/node-credential", credential, "0600")
            // Engine labels place the agent service (engine.labels.fleet.pool == <pool>).
            .File("/etc/docker/daemon.json", Px.Lit($"{{\"labels\": [\"fleet.pool={pool.Name}\", \"fleet.gpu={(pool.Gpu ? "true" : "false")}\"]}}\n"))
            .Script("fleet-common.sh")
            .Script("fleet-swarm-worker.sh");
        if (pool.Gpu)
            init.Script("fleet-gpu-driver.sh").Script("fleet-gpu-docker.sh")
                .Run($"{CloudConfigBuilder.ScriptDirectory}/fleet-gpu-driver.sh")
                .Run($"{CloudConfigBuilder.ScriptDirectory}/fleet-gpu-docker.sh");
        init.Run($"{CloudConfigBuilder.ScriptDirectory}/fleet-swarm-worker.sh");
        return init.ToUserData(secret: true);
    }

    private static string DockerTlsDropIn() =>
        "[Service]\n" +
        "ExecStart=\n" +
        $"ExecStart=/usr/bin/dockerd -H fd:// -H tcp://0.0.0.0:{FleetPorts.DockerTls} --tlsverify " +
        $"--tlscacert={DockerTlsDir}/ca.pem --tlscert={DockerTlsDir}/server-cert.pem --tlskey={DockerTlsDir}/server-key.pem " +
        "--containerd=/run/containerd/containerd.sock\n";
}
