using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Model;

/// <summary>A worker as the app layer needs it: its pool, host name (the node name the gateway knows) and the
/// <c>${…}</c> of its credential's SHA-256 (a program variable, computed once per node).</summary>
public sealed record WorkerNode(PoolConfig Pool, string Host, PString CredentialSha256);
