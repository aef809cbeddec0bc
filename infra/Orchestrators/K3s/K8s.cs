using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Orchestrators.K3s;

/// <summary>Small builders for the parts Kubernetes objects repeat: metadata, probes, env, volumes.</summary>
public static class K8s
{
    public const string Namespace = "fleet";

    public static PMap Metadata(string name, string? ns = Namespace, PMap? labels = null) =>
        new PMapBuilder { { "name", name }, { "namespace", ns }, { "labels", labels } }.Build();

    public static PMap Labels(string app) => new PMapBuilder { { "app.kubernetes.io/name", app }, { "app.kubernetes.io/part-of", "fleet" } }.Build();

    public static PMap HttpProbe(string path, int port, int periodSeconds, int failureThreshold) => new PMapBuilder
    {
        { "httpGet", new PMapBuilder { { "path", path }, { "port", port } }.Build() },
        { "periodSeconds", periodSeconds },
        { "failureThreshold", failureThreshold },
        { "timeoutSeconds", 3 },
    }.Build();

    public static PList Env(params (string Name, PValue? Value)[] vars) =>
        new(vars.Where(v => v.Value is not null).Select(v => (PValue)new PMapBuilder { { "name", v.Name }, { "value", v.Value } }.Build()).ToArray());

    public static PMap EnvFromField(string name, string fieldPath) => new PMapBuilder
    {
        { "name", name },
        { "valueFrom", new PMapBuilder { { "fieldRef", new PMapBuilder { { "fieldPath", fieldPath } }.Build() } }.Build() },
    }.Build();

    public static PMap HostPath(string name, string path, string type) => new PMapBuilder
    {
        { "name", name },
        { "hostPath", new PMapBuilder { { "path", path }, { "type", type } }.Build() },
    }.Build();

    public static PMap Mount(string name, string path, bool readOnly) =>
        new PMapBuilder { { "name", name }, { "mountPath", path }, { "readOnly", readOnly ? true : null } }.Build();

    public static PMap Resources(string cpuRequest, string memoryRequest, string? memoryLimit, PMap? extraLimits = null)
    {
        var limits = new PMapBuilder { { "memory", memoryLimit } };
        foreach (var (k, v) in extraLimits?.Entries ?? []) limits.Add(k, v);
        var built = limits.Build();
        return new PMapBuilder
        {
            { "requests", new PMapBuilder { { "cpu", cpuRequest }, { "memory", memoryRequest } }.Build() },
            { "limits", built.Entries.Count > 0 ? built : null },
        }.Build();
    }
}
