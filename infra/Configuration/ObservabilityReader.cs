namespace Fleet.Infra.Configuration;

/// <summary>
/// <c>fleet:observability</c>: <c>true</c> (the default) runs Prometheus and Grafana on the manager; <c>false</c> leaves
/// them out. A wrong type is an error naming the key.
/// </summary>
public static class ObservabilityReader
{
    public static bool Read(ConfigFieldReader f, System.Text.Json.Nodes.JsonNode? node, string ns) =>
        f.Bool(node, ns + "observability") ?? true;
}
