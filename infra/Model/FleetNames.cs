using System.Text;
using Fleet.Infra.Configuration;

namespace Fleet.Infra.Model;

/// <summary>Names of servers, tags and logical resources; stable for the same stack, pool and node id.</summary>
public sealed class FleetNames(FleetConfig config)
{
    /// <summary>The stack name made safe for host names and tags (<c>my_stack</c> → <c>my-stack</c>).</summary>
    public string Stack { get; } = Sanitize(config.Stack);

    /// <summary>Prefix of every cloud-side name: <c>fleet-&lt;stack&gt;</c>.</summary>
    public string Prefix => $"{config.Project}-{Stack}";

    public string ManagerHost => $"{Prefix}-manager";

    /// <summary>The server's host name, which is also the node name agents report and the gateway knows.</summary>
    public string WorkerHost(PoolConfig pool, string id) => $"{Prefix}-{pool.Name}-{id}";

    /// <summary>
    /// The manager server's logical name. Not <c>manager</c>: pulumi-yaml makes every config key of the project's
    /// namespace a node of the same name space (<c>fleet:manager</c> → <c>manager</c>), and a resource with that name
    /// is then silently never registered (docs/engine-semantics.md, "Name resolution").
    /// </summary>
    public const string ManagerResource = "manager-server";

    /// <summary>The name this stack's manager had before <see cref="ManagerResource"/>; kept as an alias so stacks that never set <c>fleet:manager</c> keep their server.</summary>
    public const string LegacyManagerResource = "manager";

    /// <summary>The URN the manager had under <see cref="LegacyManagerResource"/>: an alias, so renaming it replaces nothing.</summary>
    public string LegacyManagerUrn(string type) => $"urn:pulumi:{config.Stack}::{config.Project}::{type}::{LegacyManagerResource}";

    public static string WorkerResource(PoolConfig pool, string id) => $"worker-{pool.Name}-{id}";

    public static string CredentialResource(PoolConfig pool, string id) => $"node-credential-{pool.Name}-{id}";

    public string NodeTag => $"{Prefix}-node";

    public string ManagerTag => $"{Prefix}-manager";

    public string WorkerTag => $"{Prefix}-worker";

    public string PoolTag(PoolConfig pool) => $"{Prefix}-pool-{pool.Name}";

    public static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant()) sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        return sb.ToString().Trim('-');
    }
}
