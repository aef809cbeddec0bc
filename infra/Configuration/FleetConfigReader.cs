using System.Text.Json.Nodes;
using Fleet.Infra.Catalog;
using Fleet.Infra.Diagnostics;

namespace Fleet.Infra.Configuration;

/// <summary>
/// Turns raw stack config into a <see cref="FleetConfig"/>, reporting every problem at once. Returns null config
/// when any error was found: nothing half-valid is synthesized.
/// </summary>
public static class FleetConfigReader
{
    /// <summary>Every key of the <c>fleet:</c> namespace.</summary>
    public static readonly string[] KnownKeys = StackKeysValidator.KnownKeys;

    public static (FleetConfig? Config, IReadOnlyList<Diagnostic> Diagnostics) Read(StackConfig raw)
    {
        var bag = new DiagnosticBag();
        var f = new ConfigFieldReader(bag);
        var ns = raw.Project + ":";
        JsonNode? Get(string key) => raw.Get(ns + key)?.Value;

        var encrypted = StackKeysValidator.Check(raw, bag);
        RequireSecret(raw, bag, "digitalocean:token", "dop_v1_...");
        RequireSecret(raw, bag, "hcloud:token", "<64-character token>");

        var cloud = ReadCloud(f, Get("cloud"), ns);
        var catalog = cloud is null ? null : CloudCatalog.For(cloud.Value);
        var region = f.String(Get("region"), ns + "region", "fra1", required: true);
        if (region is not null && catalog is not null && !catalog.Regions.Contains(region))
            bag.Error(ConfigCodes.NotAllowed, ns + "region", $"{ns}region \"{ConfigFieldReader.Printable(region)}\" is not a {cloud} region{DidYouMean(region, catalog.Regions)}; choose one of: {string.Join(", ", catalog.Regions)}", ConfigFix.Set(ns + "region", NearestMatch.Find(region, catalog.Regions) ?? catalog.Regions[0]));

        var orchestrator = ReadOrchestrator(f, Get("orchestrator"), ns);
        var network = NetworkReader.Read(f, Get("adminCidrs"), Get("networkCidr"), ns, NetworkReader.DefaultNetworkCidr(raw.Project, raw.Stack));
        var (domain, email) = DomainReader.Read(f, Get("domain"), Get("acmeEmail"), ns);
        var managerObj = f.Object(Get("manager"), ns + "manager", "'{\"size\":\"s-2vcpu-4gb\"}'", required: false);
        if (managerObj is not null) f.RejectUnknownKeys(managerObj, ns + "manager", "size");
        var managerSize = managerObj is null ? DefaultManagerSize(cloud) : f.String(managerObj["size"], ns + "manager.size", DefaultManagerSize(cloud), required: true);
        if (managerSize is not null && catalog is not null) SizeRules.Check(bag, catalog, managerSize, ns + "manager.size", gpu: false);

        var pools = PoolsReader.Read(f, Get("pools"), ns, catalog);
        var (model, models) = ReadModels(f, Get("model"), Get("models"), pools, ns);
        var images = ImagesReader.Read(f, Get("images"), ns);
        var apiKeys = ApiKeysReader.Read(f, raw.Get(ns + "apiKeys"), ns, raw.Origin);
        var policy = PolicyReader.Read(f, Get("policy"), ns);
        var observability = ObservabilityReader.Read(f, Get("observability"), ns);
        var jwtIssuers = JwtIssuersReader.Read(f, Get("jwtIssuers"), ns);
        var control = ControlReader.Read(f, raw, ns, imageSet: Get("images") is JsonObject io && io["control"] is not null);
        var osImage = Get("osImage") is null ? DefaultOsImage(cloud) : f.String(Get("osImage"), ns + "osImage", DefaultOsImage(cloud), required: true);
        if (osImage is not null && (osImage.Length > 64 || !osImage.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') || !char.IsAsciiLetterOrDigit(osImage[0])))
        {
            bag.Error(ConfigCodes.BadFormat, ns + "osImage", $"{ns}osImage \"{ConfigFieldReader.Printable(osImage)}\" is not an image slug, name or id (letters, digits, . _ -)", ConfigFix.Set(ns + "osImage", DefaultOsImage(cloud)));
            osImage = null;
        }

        for (var i = 0; cloud == CloudKind.Hetzner && pools is not null && i < pools.Count; i++)
            if (pools[i].Max > HetznerSpreadGroupLimit)
                bag.Error(ConfigCodes.OutOfRange, $"{ns}pools[{i}].max", $"{ns}pools[{i}] may grow to {pools[i].Max} servers, but a Hetzner spread placement group holds at most {HetznerSpreadGroupLimit}; split the pool", ConfigFix.Set($"{ns}pools[{i}].max", HetznerSpreadGroupLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (images is not null && images.AgentGpu is null && pools?.Any(p => p.Gpu) == true)
            bag.Error(ConfigCodes.Missing, ns + "images.agentGpu", $"{ns}images.agentGpu is required when a pool has gpu: true (the CUDA 12 build of the agent, agent/Dockerfile.cuda)", ConfigFix.Set(ns + "images.agentGpu", "registry.example.com/fleet/agent:0.1.0-cuda12"));
        if (!apiKeys.Set && raw.Origin == ConfigOrigin.Engine)
            bag.Warning(ConfigCodes.NoApiKeys, ns + "apiKeys", "no API keys are configured: the gateway will refuse every client", ConfigFix.Set(ns + "apiKeys", "'[{\"name\":\"ci\",\"key\":\"<32+ random chars>\"}]'", secret: true));

        // An encrypted setting is reported once, as encrypted, not again as missing.
        var items = bag.Items.Where(d => !(d.Code == ConfigCodes.Missing && encrypted.Any(e => d.Path == e || d.Path.StartsWith(e + ".", StringComparison.Ordinal) || d.Path.StartsWith(e + "[", StringComparison.Ordinal)))).ToArray();
        if (bag.HasErrors || cloud is null || region is null || orchestrator is null || network is null || managerSize is null
            || pools is null || model is null || images is null || policy is null || osImage is null || jwtIssuers is null)
            return (null, items);

        return (new FleetConfig(raw.Stack, raw.Project, cloud.Value, region, orchestrator.Value, network.Value.AdminCidrs, network.Value.NetworkCidr,
            domain, email, new ManagerConfig(managerSize), pools, model, images, apiKeys, policy, osImage) { Observability = observability, Control = control, Models = models!, JwtIssuers = jwtIssuers }, items);
    }

    /// <summary>
    /// <c>fleet:model</c> (one model, every pool) or <c>fleet:models</c> (each pool names its <c>model</c>), never both;
    /// every pool's model exists and every model is served by a pool. Returns the first pool's model and all of them.
    /// </summary>
    private static (ModelConfig? First, IReadOnlyDictionary<string, ModelConfig>? All) ReadModels(ConfigFieldReader f, JsonNode? one, JsonNode? many, IReadOnlyList<PoolConfig>? pools, string ns)
    {
        if (one is not null && many is not null)
        {
            f.Bag.Error(ConfigCodes.Conflict, ns + "models", $"both {ns}model and {ns}models are set; use {ns}model for one model on every pool, or {ns}models with a model: per pool", ConfigFix.Remove(ns + "model"));
            return (null, null);
        }
        if (many is null)
        {
            var single = ModelReader.Read(f, one, ns);
            for (var i = 0; pools is not null && i < pools.Count; i++)
                if (pools[i].Model is { } named)
                    f.Bag.Error(ConfigCodes.Conflict, $"{ns}pools[{i}].model", $"{ns}pools[{i}].model is \"{ConfigFieldReader.Printable(named)}\" but the fleet has one model ({ns}model): name models in {ns}models to serve several", ConfigFix.Remove($"{ns}pools[{i}].model"));
            return single is null ? (null, null) : (single, new Dictionary<string, ModelConfig> { [single.Id] = single });
        }

        var models = ModelReader.ReadMany(f, many, ns);
        if (models is null || pools is null) return (null, null);
        var ok = true;
        for (var i = 0; i < pools.Count; i++)
        {
            var path = $"{ns}pools[{i}].model";
            if (pools[i].Model is not { } id)
            {
                f.Bag.Error(ConfigCodes.Missing, path, $"{path} is required with {ns}models: which model pool {pools[i].Name} serves ({string.Join(", ", models.Keys)})", ConfigFix.Set(path, models.Keys.First()));
                ok = false;
            }
            else if (!models.ContainsKey(id))
            {
                f.Bag.Error(ConfigCodes.NotAllowed, path, $"{path} \"{ConfigFieldReader.Printable(id)}\" is not in {ns}models{DidYouMean(id, models.Keys)}; known: {string.Join(", ", models.Keys)}", ConfigFix.Set(path, NearestMatch.Find(id, models.Keys) ?? models.Keys.First()));
                ok = false;
            }
        }
        foreach (var unused in models.Keys.Where(id => pools.All(p => p.Model != id)))
        {
            f.Bag.Error(ConfigCodes.Conflict, $"{ns}models", $"{ns}models names \"{unused}\" but no pool serves it; give a pool model: {unused}, or remove it", ConfigFix.Set($"{ns}pools[0].model", unused));
            ok = false;
        }
        return ok ? (models[pools[0].Model!], models) : (null, null);
    }

    /// <summary>Hetzner Cloud allows at most 10 servers in a spread placement group (one group per pool).</summary>
    public const int HetznerSpreadGroupLimit = 10;

    private static CloudKind? ReadCloud(ConfigFieldReader f, JsonNode? node, string ns)
    {
        var text = f.String(node, ns + "cloud", "digitalocean", required: true);
        switch (text)
        {
            case null: return null;
            case "digitalocean": return CloudKind.DigitalOcean;
            case "hetzner": return CloudKind.Hetzner;
            default:
                f.Bag.Error(ConfigCodes.NotAllowed, ns + "cloud", $"{ns}cloud \"{ConfigFieldReader.Printable(text)}\" is not supported{DidYouMean(text, ["digitalocean", "hetzner"])}; choose digitalocean or hetzner", ConfigFix.Set(ns + "cloud", NearestMatch.Find(text, ["digitalocean", "hetzner"]) ?? "digitalocean"));
                return null;
        }
    }

    private static Orchestrator? ReadOrchestrator(ConfigFieldReader f, JsonNode? node, string ns)
    {
        if (node is null) return Orchestrator.Swarm;
        var text = f.String(node, ns + "orchestrator", "swarm", required: true);
        switch (text)
        {
            case null: return null;
            case "swarm": return Orchestrator.Swarm;
            case "k3s": return Orchestrator.K3s;
            default:
                f.Bag.Error(ConfigCodes.NotAllowed, ns + "orchestrator", $"{ns}orchestrator \"{ConfigFieldReader.Printable(text)}\" is not supported{DidYouMean(text, ["swarm", "k3s"])}; choose swarm or k3s", ConfigFix.Set(ns + "orchestrator", NearestMatch.Find(text, ["swarm", "k3s"]) ?? "swarm"));
                return null;
        }
    }

    private static void RequireSecret(StackConfig raw, DiagnosticBag bag, string key, string example)
    {
        if (raw.Origin == ConfigOrigin.StackFile && raw.Get(key) is { IsSecret: false })
            bag.Error(ConfigCodes.NotSecret, key, $"{key} is stored in plain text in Pulumi.{raw.Stack}.yaml; a credential must be a secret (then rotate it: it is in your git history)", $"pulumi config set --secret {key} {example}");
    }

    private static string DidYouMean(string value, IEnumerable<string> known) => NearestMatch.Find(value, known) is { } near ? $" (did you mean {near}?)" : "";

    private static string DefaultManagerSize(CloudKind? cloud) => cloud == CloudKind.Hetzner ? "cx23" : "s-2vcpu-4gb";

    private static string DefaultOsImage(CloudKind? cloud) => cloud == CloudKind.Hetzner ? "ubuntu-24.04" : "ubuntu-24-04-x64";
}
