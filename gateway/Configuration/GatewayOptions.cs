using System.Net;

namespace Fleet.Gateway.Configuration;

/// <summary>
/// Everything the gateway is configured with, bound once at start from <c>FLEET_</c> environment variables
/// (see <see cref="GatewayOptionsReader"/> and gateway/README.md) and checked by <see cref="GatewayOptionsValidator"/>.
/// </summary>
public sealed record GatewayOptions
{
    /// <summary>JSON file of node credentials' hashes, written by the stack (<c>FLEET_NODES_FILE</c>).</summary>
    public string NodesFile { get; init; } = "";

    /// <summary>JSON file of API keys' hashes and limits, written by the stack (<c>FLEET_API_KEYS_FILE</c>).</summary>
    public string ApiKeysFile { get; init; } = "";

    /// <summary>File holding the admin API's bearer token (<c>FLEET_ADMIN_TOKEN_FILE</c>).</summary>
    public string AdminTokenFile { get; init; } = "";

    /// <summary>JSON file of trusted JWT issuers (<c>FLEET_JWT_ISSUERS_FILE</c>); empty: JWT clients are off.</summary>
    public string JwtIssuersFile { get; init; } = "";

    /// <summary>Longest wait for an issuer's discovery document or JWKS (<c>FLEET_JWKS_TIMEOUT_SECONDS</c>).</summary>
    public TimeSpan JwksTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The models the fleet is configured to serve (<c>FLEET_MODELS</c>): a request for one of them while no node serving it
    /// is ready is held (scale from zero) and counted as demand in <c>GET /admin/v1/load</c>.
    /// </summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>How long a request for a configured model with no ready node is held (<c>FLEET_SCALE_FROM_ZERO_TIMEOUT_SECONDS</c>).</summary>
    public TimeSpan ScaleFromZeroTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests held for models with no ready node, at once (<c>FLEET_SCALE_FROM_ZERO_MAX_HELD</c>); beyond, 503 at once.</summary>
    public int ScaleFromZeroMaxHeld { get; init; } = 100;

    /// <summary>How often nodes beat; told to each agent in the heartbeat reply.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Missed intervals after which a node is suspect and gets no new requests.</summary>
    public int SuspectAfterMissedBeats { get; init; } = 3;

    /// <summary>Silence after which a node is dead (DESIGN §9: at most 60 s).</summary>
    public TimeSpan DeadAfter { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>More than this fraction of live nodes silent at once freezes dead-marking.</summary>
    public double PartitionFraction { get; init; } = 0.5;

    /// <summary>The partition guard applies only to fleets of at least this many live nodes.</summary>
    public int PartitionMinNodes { get; init; } = 3;

    /// <summary>How long a request waits for capacity before 503.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests allowed to wait for capacity at once; beyond this, 503 at once.</summary>
    public int MaxWaiting { get; init; } = 1000;

    /// <summary>Requests the gateway sends to a node beyond its free slots (they wait in the agent's queue).</summary>
    public int NodeQueueAllowance { get; init; }

    /// <summary>How often the key, node and admin token files are checked for changes.</summary>
    public TimeSpan FileReloadInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>HTTP version towards agents: 1.1, or 2 (h2c, prior knowledge).</summary>
    public Version UpstreamHttpVersion { get; init; } = new(1, 1);

    /// <summary>Connect timeout towards an agent; a connect failure is retried on another node.</summary>
    public TimeSpan UpstreamConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest silence inside one upstream response (between streamed chunks).</summary>
    public TimeSpan UpstreamActivityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Largest client request body (prompts) the gateway accepts: in proportion to the model's context (a 32k-token
    /// context is about 128 KB of text), never the 8 MB that lets one request tie up a node's tokenizer.
    /// </summary>
    public int MaxRequestBodyBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// The fleet's private network(s) (<c>FLEET_PRIVATE_CIDR</c>): a heartbeat must come from inside them, and a node
    /// may only advertise the address it sends from. The default, the RFC 1918 ranges, should be narrowed to the stack's
    /// <c>fleet:networkCidr</c>.
    /// </summary>
    public IReadOnlyList<IPNetwork> PrivateNetworks { get; init; } = DefaultPrivateNetworks;

    /// <summary>The port every agent listens on (<c>FLEET_AGENT_PORT</c>); 0 allows any port (local runs with several agents on one host).</summary>
    public int AgentPort { get; init; } = 8080;

    /// <summary>Most decode slots one node may claim (<c>FLEET_MAX_SLOTS_PER_NODE</c>, the stack's <c>fleet:model.parallel</c>); more is clamped.</summary>
    public int MaxSlotsPerNode { get; init; } = 16;

    /// <summary>
    /// Most clients whose rate-limit budgets are tracked at once (<c>FLEET_MAX_CLIENTS</c>). Idle clients (budgets full again)
    /// are forgotten; at the cap a JWT subject not yet tracked is refused with 503 <c>too_many_clients</c>. API keys are always
    /// tracked (the keys file bounds them).
    /// </summary>
    public int MaxClients { get; init; } = 100_000;

    /// <summary>How the gateway's logs are written: one JSON object per line (default), or plain text.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Json;

    /// <summary>10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16.</summary>
    public static IReadOnlyList<IPNetwork> DefaultPrivateNetworks { get; } =
        [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16")];

    /// <summary>The window after which a silent node is suspect.</summary>
    public TimeSpan SuspectAfter => HeartbeatInterval * SuspectAfterMissedBeats;
}
