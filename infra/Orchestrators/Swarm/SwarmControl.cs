using Fleet.Infra.AppLayer;
using Fleet.Infra.Configuration;
using Fleet.Infra.Model;
using Fleet.Infra.Pulumi;

using static Fleet.Infra.Orchestrators.Swarm.SwarmServiceSpec;

namespace Fleet.Infra.Orchestrators.Swarm;

/// <summary>
/// The control service (with <c>fleet:images.control</c>) as a Swarm service on the manager, on the overlay network:
/// Caddy forwards the webhook to it, it reaches the gateway's admin API by name. Its SQLite database and its git clone
/// live on named volumes; its credentials are Docker secrets made from the stack's secret config. Its read endpoints
/// are published on the manager's own port 8090, which no firewall rule admits: an SSH tunnel reaches them.
/// </summary>
public static class SwarmControl
{
    public const string Service = "control";

    public static void Add(ProgramBuilder program, FleetConfig config, ControlConfig control, PString networkId, PulumiResource adminSecret, PulumiResource docker)
    {
        var console = program.Add("control-console-token", StackTypes.RandomPassword, new PMapBuilder { { "length", 48 }, { "special", false } });
        program.Output("controlConsoleToken", Px.Secret(console.Out("result")));
        var consoleSecret = program.Add("control-secret-console-token", StackTypes.DockerSecret, new PMapBuilder { { "data", Px.ToBase64(console.Out("result")) } }, docker);
        var secrets = new List<PValue>
        {
            Mount(adminSecret, $"{ControlEnvironment.SecretsDirectory}/gateway-admin-token"),
            Mount(consoleSecret, ControlEnvironment.ConsoleTokenFile),
        };
        if (control.KnownHosts is { } knownHosts)
        {
            var hosts = program.Add("control-known-hosts", StackTypes.DockerSecret, new PMapBuilder { { "data", Base64(knownHosts) } }, docker);
            secrets.Add(Mount(hosts, ControlEnvironment.KnownHostsFile));
        }
        foreach (var file in ControlEnvironment.Secrets(control))
        {
            var secret = program.Add($"control-secret-{file.FileName}", StackTypes.DockerSecret, new PMapBuilder
            {
                { "data", Px.ToBase64(ControlEnvironment.Value(file)) },
            }, docker);
            secrets.Add(Mount(secret, file.Path));
        }

        var env = new PMapBuilder();
        foreach (var (name, value) in ControlEnvironment.For(config, control, $"http://gateway:{FleetPorts.Agent}",
                     $"{ControlEnvironment.SecretsDirectory}/gateway-admin-token", $"http://0.0.0.0:{FleetPorts.Control}"))
            env.Add(name, value);

        program.Add("service-control", StackTypes.DockerService, ManagerService(Service, new PMapBuilder
        {
            { "image", config.Images.Control! },
            { "commands", Px.Strings(["/bin/sh", "-c", ControlEnvironment.Entrypoint]) },
            { "env", env.Build() },
            { "secrets", new PList([.. secrets]) },
            { "mounts", new PList(
                new PMapBuilder { { "type", "volume" }, { "source", "fleet-control-data" }, { "target", ControlEnvironment.DataDirectory } }.Build(),
                new PMapBuilder { { "type", "volume" }, { "source", "fleet-control-work" }, { "target", ControlEnvironment.ProjectDirectory } }.Build()) },
            // A running `pulumi up` is given time to finish its step and release the stack lock (the service records it
            // and resumes after a restart either way: stacks/README.md, "Crash safety").
            { "stopGracePeriod", "5m" },
        }.Build(), networkId, endpointSpec: Ports((FleetPorts.Control, FleetPorts.Control))), docker, ServiceOptions());
    }

    /// <summary>
    /// Readable by the service's user only: ssh refuses a private key that others may read (Docker's default is 0444,
    /// root's). The uid is the image's (the .NET images' <c>$APP_UID</c>); the provider reads these fields back as written.
    /// </summary>
    private static PMap Mount(PulumiResource secret, string path) => new PMapBuilder
    {
        { "secretId", secret.Out("id") },
        { "secretName", secret.Out("name") },
        { "fileName", path },
        { "fileUid", ControlEnvironment.ServiceUid },
        { "fileGid", ControlEnvironment.ServiceUid },
        { "fileMode", 256 }, // 0400
    }.Build();
}
