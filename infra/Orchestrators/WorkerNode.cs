using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Orchestrators;

/// <summary>A worker as the app layer needs it: its pool, host name (the node name the gateway knows) and credential resource.</summary>
public sealed record WorkerNode(PoolConfig Pool, string Host, PulumiResource Credential);
