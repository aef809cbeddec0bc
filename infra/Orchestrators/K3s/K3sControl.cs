using Fleet.Infra.AppLayer;
using Fleet.Infra.Configuration;
using Fleet.Infra.Model;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Orchestrators.K3s;

/// <summary>
/// The control service (with <c>fleet:images.control</c>) as a Deployment on the manager's host network, listening on
/// its loopback like the gateway's neighbours: Caddy forwards the webhook there, the service reaches the gateway's admin
/// API on the loopback, and its read endpoints answer an SSH tunnel only. Its credentials are one Secret made from the
/// stack's secret config; its database and git clone live under /var/lib/fleet/control on the manager.
/// </summary>
public static class K3sControl
{
    public static void Add(ProgramBuilder program, FleetConfig config, ControlConfig control, PulumiResource k8s, PMap options)
    {
        var console = program.Add("control-console-token", StackTypes.RandomPassword, new PMapBuilder { { "length", 48 }, { "special", false } });
        program.Output("controlConsoleToken", Px.Secret(console.Out("result")));
        var data = new PMapBuilder { { "console-token", console.Out("result") } };
        foreach (var file in ControlEnvironment.Secrets(control)) data.Add(file.FileName, ControlEnvironment.Value(file));
        if (control.KnownHosts is { } knownHosts) data.Add("known-hosts", Px.Lit(knownHosts));
        var secret = program.Add("control-secrets", KubernetesTypes.Secret, new PMapBuilder
        {
            { "metadata", K8s.Metadata("control-secrets") },
            { "stringData", data.Build() },
        }, k8s, options);

        var env = ControlEnvironment.For(config, control, $"http://127.0.0.1:{FleetPorts.Agent}", "/run/fleet-gateway/admin-token", $"http://127.0.0.1:{FleetPorts.Control}");
        program.Add("control-deployment", KubernetesTypes.Deployment, K3sAppLayer.ManagerDeployment("control", new PMapBuilder
        {
            { "name", "control" },
            { "image", config.Images.Control! },
            { "command", Px.Strings(["/bin/sh", "-c", ControlEnvironment.Entrypoint]) },
            { "env", K8s.Env([.. env.Select(e => (e.Name, (PValue?)e.Value))]) },
            { "volumeMounts", new PList(
                K8s.Mount("secrets", ControlEnvironment.SecretsDirectory, readOnly: true),
                new PMapBuilder { { "name", "gateway" }, { "mountPath", "/run/fleet-gateway/admin-token" }, { "subPath", "admin-token" }, { "readOnly", true } }.Build(),
                K8s.Mount("data", ControlEnvironment.DataDirectory, readOnly: false),
                K8s.Mount("work", ControlEnvironment.ProjectDirectory, readOnly: false)) },
            { "livenessProbe", new PMapBuilder
            {
                { "httpGet", new PMapBuilder { { "host", "127.0.0.1" }, { "path", "/health" }, { "port", FleetPorts.Control } }.Build() },
                { "periodSeconds", 15 },
                { "failureThreshold", 4 },
                { "timeoutSeconds", 5 },
            }.Build() },
            { "resources", K8s.Resources("100m", "512Mi", "2Gi") },
            { "securityContext", K3sAppLayer.RootWithoutCapabilities() },
        }.Build(), new PList(
            new PMapBuilder { { "name", "secrets" }, { "secret", new PMapBuilder { { "secretName", "control-secrets" }, { "defaultMode", 256 } }.Build() } }.Build(),
            new PMapBuilder { { "name", "gateway" }, { "secret", new PMapBuilder { { "secretName", "gateway-files" } }.Build() } }.Build(),
            K8s.HostPath("data", "/var/lib/fleet/control/data", "DirectoryOrCreate"),
            K8s.HostPath("work", "/var/lib/fleet/control/work", "DirectoryOrCreate"))),
            k8s, new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(secret) } });
    }
}
