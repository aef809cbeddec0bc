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

    /// <summary>SSH to the manager's public address as root with the stack's key.</summary>
    public static PMap Connection(ICloudTarget cloud, PulumiResource sshKey) => new PMapBuilder
    {
        { "host", cloud.ManagerPublicAddress },
        { "user", "root" },
        { "privateKey", sshKey.Out("privateKeyOpenssh") },
        { "dialErrorLimit", 60 },
    }.Build();

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> on the manager, atomically (a temporary file renamed
    /// over it), again whenever the content changes (an update re-runs create) or the manager is replaced. A service that
    /// bind-mounts the folder and watches the file sees the change without being restarted.
    /// </summary>
    public static PulumiResource AddFile(ProgramBuilder program, string name, ICloudTarget cloud, PulumiResource manager, PulumiResource ready, PulumiResource sshKey, string path, PValue content) =>
        program.Add(name, StackTypes.RemoteCommand, new PMapBuilder
        {
            { "connection", Connection(cloud, sshKey) },
            { "create", Px.Lit($"set -eu\numask 022\nmkdir -p {Path.GetDirectoryName(path)}\ncat > {path}.tmp\nmv {path}.tmp {path}") },
            { "stdin", content },
            { "triggers", new PList(manager.Out("id")) },
            { "logging", "none" },
        }, options: new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(ready) } });

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
