using Fleet.Infra.Catalog;

namespace Fleet.Infra.Configuration;

/// <summary>The validated stack configuration (the <c>fleet:</c> namespace), defaults resolved.</summary>
public sealed record FleetConfig(
    string Stack,
    string Project,
    CloudKind Cloud,
    string Region,
    Orchestrator Orchestrator,
    IReadOnlyList<string> AdminCidrs,
    string NetworkCidr,
    string? Domain,
    string? AcmeEmail,
    ManagerConfig Manager,
    IReadOnlyList<PoolConfig> Pools,
    ModelConfig Model,
    ImagesConfig Images,
    ApiKeysConfig ApiKeys,
    PolicyConfig Policy,
    string OsImage)
{
    /// <summary><c>fleet:observability</c>: Prometheus and Grafana on the manager (default on).</summary>
    public bool Observability { get; init; } = true;

    /// <summary><c>fleet:jwtIssuers</c>: identity providers whose JWTs the gateway accepts (empty: API keys only).</summary>
    public IReadOnlyList<JwtIssuerConfig> JwtIssuers { get; init; } = [];

    /// <summary>The control service on the manager; null without <c>fleet:images.control</c>.</summary>
    public ControlConfig? Control { get; init; }

    /// <summary>
    /// Every model the fleet serves, by id: <c>fleet:models</c>, or the one <c>fleet:model</c>. <see cref="Model"/> is the
    /// first pool's (for settings that take one model).
    /// </summary>
    public IReadOnlyDictionary<string, ModelConfig> Models { get; init; } = new Dictionary<string, ModelConfig>();

    /// <summary>The model a pool serves.</summary>
    public ModelConfig ModelOf(PoolConfig pool) => pool.Model is { } id && Models.TryGetValue(id, out var m) ? m : Model;

    /// <summary>Every worker node across pools, in pool then id order.</summary>
    public IEnumerable<(PoolConfig Pool, string NodeId)> Workers => Pools.SelectMany(p => p.NodeIds.Select(id => (p, id)));
}

/// <summary><c>fleet:orchestrator</c>.</summary>
public enum Orchestrator
{
    Swarm,
    K3s,
}

/// <summary><c>fleet:manager</c>.</summary>
public sealed record ManagerConfig(string Size);

/// <summary>One entry of <c>fleet:pools</c>.</summary>
/// <param name="NodeIds">Stable node ids: from <c>nodes:</c>, or <c>1..count</c> when the pool is given by count.</param>
/// <param name="ListsNodes">True when the pool names its node ids (the control service manages it; <c>fleet sync</c> updates it).</param>
public sealed record PoolConfig(string Name, string Size, bool Gpu, IReadOnlyList<string> NodeIds, bool ListsNodes, int Min, int Max, bool Autoscale, int? GpuLayers)
{
    /// <summary>The <c>fleet:models</c> id this pool serves; null with <c>fleet:model</c>.</summary>
    public string? Model { get; init; }
}

/// <summary><c>fleet:model</c>, or one entry of <c>fleet:models</c>: what a pool's agents serve.</summary>
public sealed record ModelConfig(string Url, string Sha256, int ContextSize, int GpuLayers, int Parallel)
{
    /// <summary>The id clients send as <c>model</c>: the <c>fleet:models</c> key, else the file name without <c>.gguf</c>.</summary>
    public string Id => Name ?? Path.GetFileNameWithoutExtension(new Uri(Url).AbsolutePath);

    /// <summary>The key in <c>fleet:models</c>; null for <c>fleet:model</c> (the agent then reports the file name).</summary>
    public string? Name { get; init; }
}

/// <summary><c>fleet:images</c>: pinned image references.</summary>
public sealed record ImagesConfig(string Agent, string? AgentGpu, string Gateway, string Caddy, string? Control = null);

/// <summary>
/// <c>fleet:apiKeys</c> (secret). Keys are hashed at synthesis; only hashes reach the program.
/// <see cref="Available"/> is false when the value is encrypted (a stack file read without the Pulumi CLI).
/// </summary>
public sealed record ApiKeysConfig(bool Set, bool Available, IReadOnlyList<ApiKeyConfig> Keys);

/// <summary>One client key: its name, the SHA-256 of the key, limits and an optional model allow-list.</summary>
public sealed record ApiKeyConfig(string Name, string Sha256, int RequestsPerMinute, int TokensPerMinute, IReadOnlyList<string> Models);

/// <summary><c>fleet:policy</c>: how policy findings are enforced and the stack's guard rails.</summary>
public sealed record PolicyConfig(bool Mandatory, IReadOnlyList<string> AllowedRegions, IReadOnlyList<string> AllowedSizes, int MaxNodes, decimal? MaxMonthlyCost);

/// <summary>
/// <c>fleet:control</c> with <c>fleet:images.control</c>: the control service on the manager. The credentials stay in
/// stack config; only whether each is set is known here.
/// </summary>
public sealed record ControlConfig(string GitUrl, string GitRef, string? BackendUrl, bool HasDeployKey, bool HasPulumiToken, bool HasPassphrase, bool HasBackendEnv)
{
    /// <summary><c>fleet:control.knownHosts</c>: the git host's public keys (ssh-keyscan); pinned, not trusted on first use.</summary>
    public string? KnownHosts { get; init; }
}

/// <summary>One entry of <c>fleet:jwtIssuers</c> (the gateway's issuers file, gateway/README.md "JWT clients").</summary>
public sealed record JwtIssuerConfig(string Issuer, string Audience, string? JwksUri, int RequestsPerMinute, int TokensPerMinute, IReadOnlyList<string> Models);
