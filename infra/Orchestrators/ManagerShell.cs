using Fleet.Infra.Clouds;
using Fleet.Infra.Orchestrators.Swarm;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;

namespace Fleet.Infra.Orchestrators;

/// <summary>A command run on the manager over SSH with the stack's key, after cloud-init has finished; its output is secret.</summary>
public static class ManagerShell
{
    public static PulumiResource Add(ProgramBuilder program, string name, ICloudTarget cloud, PulumiResource manager, IReadOnlyList<PulumiResource> waitFor, PulumiResource sshKey, PString command) =>
        program.Add(name, StackTypes.RemoteCommand, new PMapBuilder
        {
            { "connection", new PMapBuilder
            {
                { "host", cloud.ManagerPublicAddress },
                { "user", "root" },
                { "privateKey", sshKey.Out("privateKeyOpenssh") },
                { "dialErrorLimit", 60 },
            }.Build() },
            { "create", Px.Concat("cloud-init status --wait >/dev/null || true; ", command) },
            { "triggers", new PList(manager.Out("id")) },
        }, options: new PMapBuilder
        {
            { "dependsOn", ProgramBuilder.Refs([.. waitFor]) },
            { "additionalSecretOutputs", Px.Strings(["stdout"]) },
        });
}
