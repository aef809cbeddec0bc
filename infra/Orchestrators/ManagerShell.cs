using Fleet.Infra.Clouds;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;

namespace Fleet.Infra.Orchestrators;

/// <summary>A command run on the manager over SSH with the stack's key, after cloud-init has finished; its output is secret.</summary>
public static class ManagerShell
{
    /// <summary>
    /// A command that does nothing when created and runs <paramref name="onDelete"/> on the manager when it is deleted —
    /// when its worker is removed, or replaced (the trigger). Skipped when the manager itself is being deleted.
    /// </summary>
    public static PulumiResource AddOnDelete(ProgramBuilder program, string name, ICloudTarget cloud, PulumiResource manager, PulumiResource worker, PulumiResource ready, PulumiResource sshKey, string onDelete) =>
        program.Add(name, StackTypes.RemoteCommand, new PMapBuilder
        {
            { "connection", Connection(cloud, sshKey) },
            { "create", "true" },
            { "delete", onDelete },
            { "triggers", new PList(worker.Out("id")) },
        }, options: new PMapBuilder
        {
            { "dependsOn", ProgramBuilder.Refs(ready) },
            { "deletedWith", manager.Self },
        });

    private static PMap Connection(ICloudTarget cloud, PulumiResource sshKey) => new PMapBuilder
    {
        { "host", cloud.ManagerPublicAddress },
        { "user", "root" },
        { "privateKey", sshKey.Out("privateKeyOpenssh") },
        { "dialErrorLimit", 60 },
    }.Build();

    public static PulumiResource Add(ProgramBuilder program, string name, ICloudTarget cloud, PulumiResource manager, IReadOnlyList<PulumiResource> waitFor, PulumiResource sshKey, PString command) =>
        program.Add(name, StackTypes.RemoteCommand, new PMapBuilder
        {
            { "connection", Connection(cloud, sshKey) },
            { "create", Px.Concat("cloud-init status --wait >/dev/null || true; ", command) },
            { "triggers", new PList(manager.Out("id")) },
        }, options: new PMapBuilder
        {
            { "dependsOn", ProgramBuilder.Refs([.. waitFor]) },
            { "additionalSecretOutputs", Px.Strings(["stdout"]) },
        });
}
