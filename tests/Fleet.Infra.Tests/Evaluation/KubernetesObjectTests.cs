using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Infra.Orchestrators.K3s;
using Fleet.Infra.Tests.Support;
using k8s;
using k8s.Models;

namespace Fleet.Infra.Tests.Evaluation;

/// <summary>
/// Every Kubernetes object the program emits, evaluated, is read into the KubernetesClient model of its kind and written
/// back: a field the model does not know (a typo, a wrong nesting) or a value of the wrong type does not survive the trip.
/// </summary>
public class KubernetesObjectTests
{
    public static TheoryData<string> K3sStacks => new(TestStacks.AllCommitted().Where(s => s.Contains("k3s", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(K3sStacks))]
    public void Every_kubernetes_object_round_trips_through_the_kubernetes_models(string stack)
    {
        var (_, program) = Fleets.EvaluateCommitted(stack);
        var objects = program.Resources.Where(r => r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)).ToArray();
        Assert.True(objects.Length >= 5, $"only {objects.Length} Kubernetes objects");

        foreach (var resource in objects)
        {
            var (apiVersion, kind) = KubernetesTypes.ApiVersionKind(resource.Type);
            var json = Json(resource.Inputs);
            json["apiVersion"] = apiVersion;
            json["kind"] = kind;
            var text = json.ToJsonString();
            string back = kind switch
            {
                "Namespace" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1Namespace>(text)),
                "Secret" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1Secret>(text)),
                "ConfigMap" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1ConfigMap>(text)),
                "Deployment" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1Deployment>(text)),
                "DaemonSet" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1DaemonSet>(text)),
                "RuntimeClass" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1RuntimeClass>(text)),
                "ServiceAccount" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1ServiceAccount>(text)),
                "ClusterRole" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1ClusterRole>(text)),
                "ClusterRoleBinding" => KubernetesJson.Serialize(KubernetesJson.Deserialize<V1ClusterRoleBinding>(text)),
                _ => throw new InvalidOperationException($"no model mapped for {kind}"),
            };
            Assert.True(JsonNode.DeepEquals(Normalize(JsonNode.Parse(text)), Normalize(JsonNode.Parse(back))), $"{resource.Name} ({kind}) changed in the round trip:\n{text}\n{back}");
        }
    }

    [Fact]
    public void The_round_trip_does_catch_a_misspelt_field()
    {
        var text = """{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"x"},"spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"spec":{"nodeSelectr":{"a":"b"},"containers":[]}}}}""";
        var back = KubernetesJson.Serialize(KubernetesJson.Deserialize<V1DaemonSet>(text));

        Assert.False(JsonNode.DeepEquals(Normalize(JsonNode.Parse(text)), Normalize(JsonNode.Parse(back))));
    }

    private static JsonObject Json(IReadOnlyDictionary<string, object?> inputs) =>
        (JsonObject)JsonNode.Parse(JsonSerializer.Serialize(ToPlain(inputs.ToDictionary(kv => kv.Key, kv => kv.Value))))!;

    private static object? ToPlain(object? value) => value switch
    {
        Secret s => ToPlain(s.Value),
        Dictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => ToPlain(kv.Value)),
        List<object?> l => l.Select(ToPlain).ToList(),
        _ => value,
    };

    /// <summary>Numbers compare by value, empty objects and lists are dropped (the models omit them).</summary>
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(kv => kv.Value is not (JsonObject { Count: 0 } or JsonArray { Count: 0 }) && kv.Value is not null)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Normalize(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Normalize).ToArray()),
        JsonValue v => JsonValue.Create(v.ToJsonString()),
        _ => null,
    };
}
