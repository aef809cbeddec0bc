using Fleet.Infra.Clouds;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Orchestrators;

/// <summary>A command run on the manager over SSH with the stack's key, after cloud-init has finished; its output is secret.</summary>
public static class ManagerShell
{
    /// <summary>
    /// A worker's cluster membership: created after the worker (it records the node that joined), deleted before it (the
    /// engine deletes dependents first), replaced with it (the trigger). Skipped when the manager itself is being deleted.
    /// </summary>
    public static PulumiResource AddMembership(ProgramBuilder program, string name, ICloudTarget cloud, PulumiResource manager, PulumiResource worker, PulumiResource ready, PulumiResource sshKey, NodeMembership membership) =>
        program.Add(name, StackTypes.RemoteCommand, new PMapBuilder
        {
            { "connection", Connection(cloud, sshKey) },
            { "create", membership.Record },
            { "delete", membership.Forget },
            { "triggers", new PList(worker.Out("id")) },
        }, options: new PMapBuilder
        {
            { "dependsOn", ProgramBuilder.Refs(ready, worker) },
            { "deletedWith", manager.Self },
        });

    private static PMap Connection(ICloudTarget cloud, PulumiResource sshKey) => new PMapBuilder
    {
        { "host", cloud.ManagerPublicAddress },
        { "user", "root" },
        { "privateKey", sshKey.Out("privateKeyOpenssh") },
        { "dialErrorLimit", 60 },
    }.Build();

    public static PulumiResource Add(ProgramBuilder program, string name, ICloudTarget cloud, PulumiResource manager, IReadOnlyList<PulumiResource> waitFor, PulumiResource sshKey, PString command, bool secretOutput = true) =>
        program.Add(name, StackTypes.RemoteCommand, new PMapBuilder
        {
            { "connection", Connection(cloud, sshKey) },
            { "create", Px.Concat("cloud-init status --wait >/dev/null || true; ", command) },
            { "triggers", new PList(manager.Out("id")) },
            // The provider streams stdout into the engine's log unless told not to, secret or not (pulumi-command logging.go).
            { "logging", secretOutput ? "none" : null },
        }, options: new PMapBuilder
        {
            { "dependsOn", ProgramBuilder.Refs([.. waitFor]) },
            { "additionalSecretOutputs", secretOutput ? Px.Strings(["stdout"]) : null },
        });
}
