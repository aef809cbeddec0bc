namespace Fleet.Infra.Orchestrators.K3s;

/// <summary>The kubernetes provider's type tokens (and the objects' apiVersion/kind, for validation).</summary>
public static class KubernetesTypes
{
    public const string Provider = "pulumi:providers:kubernetes";
    public const string Namespace = "kubernetes:core/v1:Namespace";
    public const string Secret = "kubernetes:core/v1:Secret";
    public const string ConfigMap = "kubernetes:core/v1:ConfigMap";
    public const string Deployment = "kubernetes:apps/v1:Deployment";
    public const string DaemonSet = "kubernetes:apps/v1:DaemonSet";
    public const string RuntimeClass = "kubernetes:node.k8s.io/v1:RuntimeClass";

    /// <summary><c>kubernetes:apps/v1:DaemonSet</c> → (<c>apps/v1</c>, <c>DaemonSet</c>); <c>core</c> is the empty group.</summary>
    public static (string ApiVersion, string Kind) ApiVersionKind(string token)
    {
        var parts = token.Split(':');
        var groupVersion = parts[1];
        return (groupVersion.StartsWith("core/", StringComparison.Ordinal) ? groupVersion["core/".Length..] : groupVersion, parts[2]);
    }
}
