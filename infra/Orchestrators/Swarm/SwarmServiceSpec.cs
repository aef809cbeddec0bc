using System.Text;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Orchestrators.Swarm;

/// <summary>
/// The pieces every Swarm service is written with, each in the form the docker provider reads back (so a second up
/// plans nothing: docs/engine-semantics.md, "docker Service"), and the shape of a service pinned to the manager.
/// </summary>
public static class SwarmServiceSpec
{
    /// <summary>
    /// One replica on the manager, restarted on any exit, stop-first (host-mode ports cannot run two tasks at once), with
    /// <paramref name="resources"/> and <paramref name="endpointSpec"/> when given.
    /// </summary>
    public static PMap ManagerService(string name, PMap containerSpec, PString networkId, PMap? resources = null, PMap? endpointSpec = null) => new PMapBuilder
    {
        { "name", name },
        { "mode", Replicated(1) },
        { "taskSpec", new PMapBuilder
        {
            { "containerSpec", containerSpec },
            { "resources", resources },
            { "placement", new PMapBuilder { { "constraints", Px.Strings(["node.role==manager"]) } }.Build() },
            { "networksAdvanceds", Network(networkId) },
            { "restartPolicy", RestartAny() },
        }.Build() },
        { "endpointSpec", endpointSpec },
        { "updateConfig", StopFirst() },
    }.Build();

    /// <summary>
    /// By id, never by name: <c>name</c> is deprecated and read back only as the id Docker resolved it to, so it would
    /// replace the service at every up (docs/engine-semantics.md, "docker service").
    /// </summary>
    public static PList Network(PString id) => new(new PMapBuilder { { "id", id } }.Build());

    /// <summary>
    /// At create, Docker's client fills placement.platforms from the image; we never set it, so the next up would plan
    /// an update removing them (moby client/service_create.go resolveContainerSpecImage).
    /// </summary>
    public static PMap ServiceOptions(IReadOnlyList<PulumiResource>? dependsOn = null) => new PMapBuilder
    {
        { "ignoreChanges", Px.Strings(["taskSpec.placement.platforms"]) },
        { "dependsOn", dependsOn is null ? null : ProgramBuilder.Refs([.. dependsOn]) },
    }.Build();

    public static PMap Replicated(int replicas) => new PMapBuilder { { "replicated", new PMapBuilder { { "replicas", replicas } }.Build() } }.Build();

    // window as Docker reads it back ("0s"): left out, it would be an update at every up.
    public static PMap RestartAny() => new PMapBuilder { { "condition", "any" }, { "delay", "5s" }, { "window", "0s" } }.Build();

    public static PMap StopFirst() => new PMapBuilder { { "parallelism", 1 }, { "order", "stop-first" }, { "failureAction", "rollback" } }.Build();

    public static PMap Config(PulumiResource config, string path) =>
        new PMapBuilder { { "configId", config.Out("id") }, { "configName", config.Out("name") }, { "fileName", path } }.Build();

    public static PMap Ports(params (int Target, int Published)[] ports) => new PMapBuilder
    {
        { "ports", new PList(ports.Select(p => (PValue)new PMapBuilder { { "targetPort", p.Target }, { "publishedPort", p.Published }, { "publishMode", "host" } }.Build()).ToArray()) },
    }.Build();

    public static PString Base64(string text) => Px.Lit(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));

    /// <summary>Limits and reservations in the integer units Swarm stores and the provider reads back (nano CPUs, bytes).</summary>
    public static PMap Resources(double cpus, int memoryMiB, double reserveCpus, int reserveMiB) => new PMapBuilder
    {
        { "limits", new PMapBuilder { { "nanoCpus", (int)(cpus * 1e9) }, { "memoryBytes", memoryMiB << 20 } }.Build() },
        { "reservation", new PMapBuilder { { "nanoCpus", (int)(reserveCpus * 1e9) }, { "memoryBytes", reserveMiB << 20 } }.Build() },
    }.Build();
}
