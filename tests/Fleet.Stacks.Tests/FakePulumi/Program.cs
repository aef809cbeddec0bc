// Fake `pulumi` for the control-service tests and benchmark.
//
// Control files live in <working dir>/.fake-pulumi/:
//   calls.log        one JSON line per invocation: {"argv":[...],"debugCommands":"true"|null,"startedAt":<unix ms>}
//                    (`up` and `preview` also record "stackFile": the stack file's text as they found it)
//   up.<stack>|up    behaviour of the next `up`, one per line; the first line is consumed unless it is the last:
//                    succeed | conflict | locked | fail | crash | hang | gate
//                    (gate: wait until release.<stack> exists, delete it, then succeed)
//   running.<stack>  the stack's lock: exists while an `up` runs (holding its pid); a killed `up` leaves it behind, and
//                    every later `up` answers the 409 conflict until `cancel` removes it (as Pulumi Cloud's update lock)
//   deployed.<stack>.json   the `pools` output, written when an `up` completes (persisted state, like the backend's)
//   resources.<stack>.json  the servers that exist: changed one by one during an `up`, so a killed `up` leaves some done
//   preview.<stack>|preview  extra steps the next previews plan besides the node-list change (kept until deleted), one
//                    a line: `<op> <name> [<type>]`, e.g. `replace manager-server digitalocean:index/droplet:Droplet`
//   pause            lines `<command>:<before|after>` (command: config, preview, up, output, cancel): the next such call stops
//                    there (writing paused = "<rule> <pid>") until it is killed; the line is consumed
//   raced            written if `cancel` removed the lock of an `up` whose process was still alive
//   agents.json      when present, each worker an `up` creates gets a real agent process, each one it deletes loses it
//                    (see AgentLauncher.cs: the spec, and agents/<node>.{token,pid,log} and agents.log)
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

const string DropletType = "digitalocean:index/droplet:Droplet";
var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
var argv = args.ToList();
var nonInteractive = argv.Remove("--non-interactive");
var control = Path.Combine(Directory.GetCurrentDirectory(), ".fake-pulumi");
Directory.CreateDirectory(control);
var call = new JsonObject
{
    ["argv"] = new JsonArray(argv.Select(a => (JsonNode)a).ToArray()),
    ["nonInteractive"] = nonInteractive,
    ["debugCommands"] = Environment.GetEnvironmentVariable("PULUMI_DEBUG_COMMANDS"),
    ["startedAt"] = started,
    // Names only: the tests check what the service passes (never its webhook secret).
    ["env"] = new JsonArray(Environment.GetEnvironmentVariables().Keys.Cast<string>().Order(StringComparer.Ordinal).Select(k => (JsonNode)k).ToArray()),
};
// The stack file an `up` or `preview` saw (the git-mode tests check which commit and node lists were deployed).
if (argv.Count > 0 && argv[0] is "up" or "preview" && argv.IndexOf("--stack") is var si and >= 0 && si + 1 < argv.Count
    && Path.Combine(Directory.GetCurrentDirectory(), $"Pulumi.{argv[si + 1]}.yaml") is var seen && File.Exists(seen))
    call["stackFile"] = File.ReadAllText(seen);
File.AppendAllText(Path.Combine(control, "calls.log"), call.ToJsonString() + "\n");

string? Flag(string name) { var i = argv.IndexOf(name); return i >= 0 && i + 1 < argv.Count ? argv[i + 1] : null; }
int Fail(int code, string message) { Console.Error.WriteLine(message); return code; }

var kind = argv.Count == 0 ? "" : argv[0] switch { "stack" => "output", var k => k };
Pause(kind, "before");
if (!nonInteractive) return Fail(2, "error: the fake expects --non-interactive first, as the Automation API passes it");
var stack = Flag("--stack");
if (stack is null) return Fail(2, "error: no stack selected; pass --stack");
var stackFile = Path.Combine(Directory.GetCurrentDirectory(), $"Pulumi.{stack}.yaml");
if (!File.Exists(stackFile)) return Fail(255, $"error: no stack named '{stack}' found");

switch (argv)
{
    case ["config", "set-all", "--stack", _, "--path", .. var pairs]:
        return After(EditStackFile(stackFile, yaml =>
        {
            for (var i = 0; i + 1 < pairs.Count; i += 2)
            {
                if (pairs[i] != "--plaintext") throw new InvalidOperationException($"unexpected {pairs[i]}");
                var eq = pairs[i + 1].IndexOf('=');
                SetPath(yaml, pairs[i + 1][..eq], pairs[i + 1][(eq + 1)..]);
            }
        }));
    case ["config", "rm", "--stack", _, "--path", var key]:
        return After(EditStackFile(stackFile, yaml => RemovePath(yaml, key)));
    case ["preview", "--json", "--stack", _]:
        if (Environment.GetEnvironmentVariable("PULUMI_ENABLE_STREAMING_JSON_PREVIEW") is { } streaming && (streaming == "1" || streaming.Equals("true", StringComparison.OrdinalIgnoreCase)))
            return Fail(2, "error: the fake only prints the preview digest, not the streamed engine events");
        Console.WriteLine(Preview(stack));
        return After(0);
    case ["up", "--yes", "--skip-preview", "--stack", _, "--event-log", var log]:
        if (Environment.GetEnvironmentVariable("PULUMI_DEBUG_COMMANDS") != "true")
            return Fail(2, "error: unknown flag: --event-log");
        return After(Up(stack, log));
    case ["cancel", "--yes", "--stack", _]:
        var lockFile = Path.Combine(control, $"running.{stack}");
        if (!File.Exists(lockFile)) return Fail(255, "error: [400] Bad Request: no update is in progress for this stack");
        if (int.TryParse(File.ReadAllText(lockFile), out var holder) && Alive(holder))
            File.WriteAllText(Path.Combine(control, "raced"), $"cancel removed the lock of a live up (pid {holder})");
        File.Delete(lockFile);
        Console.WriteLine("The currently running update for 'prod' has been canceled!");
        return After(0);
    case ["stack", "output", "pools", "--json", "--stack", _]:
        var deployed = Path.Combine(control, $"deployed.{stack}.json");
        if (!File.Exists(deployed)) return Fail(255, "error: current stack does not have output property 'pools'");
        Console.WriteLine(File.ReadAllText(deployed));
        return After(0);
    default:
        return Fail(2, $"error: the fake does not know `pulumi {string.Join(' ', argv)}`");
}

int After(int code)
{
    Pause(kind, "after");
    return code;
}

void Pause(string command, string when)
{
    var path = Path.Combine(control, "pause");
    if (!File.Exists(path)) return;
    var rule = $"{command}:{when}";
    var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
    if (!lines.Remove(rule)) return;
    File.WriteAllLines(path, lines);
    File.WriteAllText(Path.Combine(control, "paused"), $"{rule} {Environment.ProcessId}");
    Thread.Sleep(Timeout.Infinite);
}

static bool Alive(int pid)
{
    var stat = $"/proc/{pid}/stat";
    if (!File.Exists(stat)) return false;
    var text = File.ReadAllText(stat);
    return text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() is not ('Z' or 'X');
}

int Up(string stack, string log)
{
    var behaviour = NextBehaviour(stack);
    var running = Path.Combine(control, $"running.{stack}");
    if (File.Exists(running) && behaviour != "conflict") behaviour = "conflict";
    var seq = 0;
    using var writer = new StreamWriter(new FileStream(log, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    void Event(string name, JsonObject body) =>
        writer.WriteLine(new JsonObject { ["sequence"] = seq++, ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), [name] = body }.ToJsonString());
    switch (behaviour)
    {
        case "conflict":
            return Fail(255, "error: [409] Conflict: Another update is currently in progress.");
        case "locked":
            return Fail(255, $"error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.");
    }
    File.WriteAllText(running, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    try
    {
        Event("preludeEvent", new JsonObject { ["config"] = new JsonObject() });
        var pools = PoolsOf(stackFile);
        var deployedPath = Path.Combine(control, $"deployed.{stack}.json");
        var before = File.Exists(deployedPath) ? JsonNode.Parse(File.ReadAllText(deployedPath))!.AsObject() : new JsonObject();
        // Like the engine, diff against the state (the servers that exist), not against the last outputs.
        var resourcesPath = Path.Combine(control, $"resources.{stack}.json");
        var resources = File.Exists(resourcesPath) ? JsonSerializer.Deserialize<List<string>>(File.ReadAllText(resourcesPath))! : Urns(stack, before).Order().ToList();
        var want = Urns(stack, pools);
        var creates = want.Except(resources).Order().ToList();
        var deletes = resources.Except(want).Order().ToList();
        var same = want.Intersect(resources).Count() + 10;
        foreach (var urn in creates.Concat(deletes))
            Event("resourcePreEvent", new JsonObject { ["metadata"] = new JsonObject { ["op"] = creates.Contains(urn) ? "create" : "delete", ["urn"] = urn } });
        var changes = creates.Concat(deletes).ToList();
        void Apply(string urn)
        {
            if (creates.Contains(urn)) resources.Add(urn); else resources.Remove(urn);
            WriteAtomically(resourcesPath, JsonSerializer.Serialize(resources.Order().ToList()));
            Fleet.Stacks.FakePulumi.AgentLauncher.Apply(control, stack, urn, creates.Contains(urn));
        }
        if (changes.Count > 0 && behaviour is "hang" or "gate") Apply(changes[0]); // a killed up leaves part of the work done
        switch (behaviour)
        {
            case "hang":
                Thread.Sleep(Timeout.Infinite);
                break;
            case "gate":
                var release = Path.Combine(control, $"release.{stack}");
                while (!File.Exists(release)) Thread.Sleep(5);
                File.Delete(release);
                break;
            case "crash":
                Console.Error.WriteLine("panic: runtime error: invalid memory address or nil pointer dereference");
                File.Delete(running); // Environment.Exit skips finally blocks
                Environment.Exit(2);
                break;
            case "fail":
                Event("diagnosticEvent", new JsonObject { ["severity"] = "error", ["message"] = "error: digitalocean:index:Droplet fleet-burst: 422 size unavailable\n" });
                Event("resOpFailedEvent", new JsonObject { ["metadata"] = new JsonObject { ["op"] = "create", ["urn"] = creates.FirstOrDefault() ?? "urn:x" } });
                Event("summaryEvent", Summary(0, 0, same, "failed"));
                Event("cancelEvent", new JsonObject());
                return Fail(255, "error: update failed");
        }
        foreach (var urn in changes.Where(u => creates.Contains(u) ? !resources.Contains(u) : resources.Contains(u))) Apply(urn);
        foreach (var urn in creates.Concat(deletes))
            Event("resOutputsEvent", new JsonObject { ["metadata"] = new JsonObject { ["op"] = creates.Contains(urn) ? "create" : "delete", ["urn"] = urn } });
        WriteAtomically(deployedPath, pools.ToJsonString());
        Event("summaryEvent", Summary(creates.Count, deletes.Count, same, "succeeded"));
        Event("cancelEvent", new JsonObject());
        Console.WriteLine($"Resources: {creates.Count} created, {deletes.Count} deleted, {same} unchanged");
        return 0;
    }
    finally
    {
        File.Delete(running);
    }
}

string NextBehaviour(string stack)
{
    var path = File.Exists(Path.Combine(control, $"up.{stack}")) ? Path.Combine(control, $"up.{stack}") : Path.Combine(control, "up");
    if (!File.Exists(path)) return "succeed";
    var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
    if (lines.Count == 0) return "succeed";
    if (lines.Count > 1) File.WriteAllLines(path, lines.Skip(1));
    return lines[0].Trim();
}

static JsonObject Summary(int create, int delete, int same, string result) => new()
{
    ["maybeCorrupt"] = false,
    ["durationSeconds"] = 1,
    ["resourceChanges"] = new JsonObject { ["create"] = create, ["delete"] = delete, ["same"] = same },
    ["PolicyPacks"] = new JsonObject(),
    ["isPreview"] = false,
    ["result"] = result,
};

// The servers, named as infra names them: urn:pulumi:<stack>::<project>::<type>::worker-<pool>-<id>.
static HashSet<string> Urns(string stack, JsonObject o) =>
    o.SelectMany(p => (p.Value?["nodes"]?.AsArray() ?? []).Select(n => Urn(stack, DropletType, $"worker-{p.Key}-{n}"))).ToHashSet();

static string Urn(string stack, string type, string name) => $"urn:pulumi:{stack}::fleet::{type}::{name}";

// `pulumi preview --json`: the CLI's PreviewDigest (pulumi/pulumi v3.259.0 pkg/display/json.go, printed by
// ShowPreviewDigest in pkg/backend/display/json.go with json.MarshalIndent(digest, "", "    ")): the steps (op, urn,
// provider, oldState/newState as apitype.ResourceV3, diffReasons, replaceReasons, detailedDiff), diagnostics,
// duration (nanoseconds), changeSummary. Like the CLI without --show-sames, `same` steps are left out except the
// root stack's. Each server comes with its credential and its membership command; the gateway's nodes file is updated.
string Preview(string stack)
{
    var pools = PoolsOf(stackFile);
    var deployedPath = Path.Combine(control, $"deployed.{stack}.json");
    var before = File.Exists(deployedPath) ? JsonNode.Parse(File.ReadAllText(deployedPath))!.AsObject() : new JsonObject();
    var resourcesPath = Path.Combine(control, $"resources.{stack}.json");
    var resources = File.Exists(resourcesPath) ? JsonSerializer.Deserialize<List<string>>(File.ReadAllText(resourcesPath))! : Urns(stack, before).Order().ToList();
    var want = Urns(stack, pools);
    var creates = want.Except(resources).Order().ToList();
    var deletes = resources.Except(want).Order().ToList();
    var root = Urn(stack, "pulumi:pulumi:Stack", $"fleet-{stack}");
    var steps = new JsonArray();
    var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
    void Step(string op, string type, string name, string[]? diff = null, string[]? replace = null)
    {
        var urn = type == "pulumi:pulumi:Stack" ? root : Urn(stack, type, name);
        var provider = type.StartsWith("pulumi:", StringComparison.Ordinal) ? "" : Urn(stack, $"pulumi:providers:{type.Split(':')[0]}", "default") + "::04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        JsonObject State() => new()
        {
            ["urn"] = urn, ["custom"] = type != "pulumi:pulumi:Stack", ["type"] = type,
            ["inputs"] = new JsonObject(), ["outputs"] = new JsonObject(),
            ["parent"] = type == "pulumi:pulumi:Stack" ? null : root, ["provider"] = provider.Length == 0 ? null : provider,
        };
        var step = new JsonObject { ["op"] = op, ["urn"] = urn };
        if (provider.Length > 0) step["provider"] = provider;
        if (op is not "create") step["oldState"] = State();
        if (op is not "delete") step["newState"] = State();
        if (diff is not null) step["diffReasons"] = new JsonArray(diff.Select(d => (JsonNode)d).ToArray());
        if (replace is not null) step["replaceReasons"] = new JsonArray(replace.Select(d => (JsonNode)d).ToArray());
        step["detailedDiff"] = diff is null && replace is null ? null : new JsonObject((diff ?? replace!).Select(d =>
            KeyValuePair.Create(d, (JsonNode?)new JsonObject { ["kind"] = replace is null ? "update" : "update-replace", ["inputDiff"] = true })));
        steps.Add(step);
        counts[op] = counts.GetValueOrDefault(op) + 1;
    }
    var extra = ExtraSteps(stack);
    var changes = creates.Count + deletes.Count + extra.Count;
    Step(changes > 0 ? "update" : "same", "pulumi:pulumi:Stack", $"fleet-{stack}", changes > 0 ? ["outputs"] : null);
    foreach (var urn in creates)
    {
        var id = urn[(urn.LastIndexOf("::worker-", StringComparison.Ordinal) + "::worker-".Length)..];
        Step("create", "random:index/randomPassword:RandomPassword", $"node-credential-{id}");
        Step("create", DropletType, $"worker-{id}");
        Step("create", "command:remote:Command", $"node-membership-{id}");
    }
    foreach (var urn in deletes)
    {
        var id = urn[(urn.LastIndexOf("::worker-", StringComparison.Ordinal) + "::worker-".Length)..];
        Step("delete", "command:remote:Command", $"node-membership-{id}");
        Step("delete", DropletType, $"worker-{id}");
        Step("delete", "random:index/randomPassword:RandomPassword", $"node-credential-{id}");
    }
    if (creates.Count + deletes.Count > 0) Step("update", "command:remote:Command", "gateway-nodes-file", ["stdin"]);
    foreach (var (op, name, type) in extra)
        Step(op, type, name, op == "update" ? ["image"] : null, op is "replace" or "create-replacement" or "delete-replaced" ? ["triggers"] : null);
    counts["same"] = counts.GetValueOrDefault("same") + want.Intersect(resources).Count() * 3 + 10;
    var digest = new JsonObject
    {
        ["config"] = new JsonObject { ["fleet:cloud"] = "digitalocean" },
        ["steps"] = steps,
        ["duration"] = 1_250_000_000L,
        ["changeSummary"] = new JsonObject(counts.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
    };
    return digest.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 4 });
}

List<(string Op, string Name, string Type)> ExtraSteps(string stack)
{
    var path = File.Exists(Path.Combine(control, $"preview.{stack}")) ? Path.Combine(control, $"preview.{stack}") : Path.Combine(control, "preview");
    if (!File.Exists(path)) return [];
    return File.ReadAllLines(path).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length >= 2)
        .Select(p => (p[0], p[1], p.Length > 2 ? p[2] : "digitalocean:index/droplet:Droplet")).ToList();
}

static JsonObject PoolsOf(string stackFile)
{
    var yaml = Load(stackFile);
    var result = new JsonObject();
    foreach (var pool in Pools(yaml).Children.OfType<YamlMappingNode>())
    {
        var name = ((YamlScalarNode)pool.Children[new YamlScalarNode("name")]).Value!;
        JsonArray nodes;
        if (pool.Children.TryGetValue(new YamlScalarNode("nodes"), out var n) && n is YamlSequenceNode seq)
            nodes = new JsonArray(seq.Children.Select(c => (JsonNode)((YamlScalarNode)c).Value!).ToArray());
        else
        {
            var count = pool.Children.TryGetValue(new YamlScalarNode("count"), out var c) ? int.Parse(((YamlScalarNode)c).Value!, CultureInfo.InvariantCulture) : 0;
            nodes = new JsonArray(Enumerable.Range(1, count).Select(i => (JsonNode)i.ToString(CultureInfo.InvariantCulture)).ToArray());
        }
        var size = pool.Children.TryGetValue(new YamlScalarNode("size"), out var s) ? ((YamlScalarNode)s).Value : null;
        result[name] = new JsonObject { ["size"] = size, ["gpu"] = false, ["nodes"] = nodes };
    }
    return result;
}

static YamlStream Load(string path)
{
    var stream = new YamlStream();
    stream.Load(new StringReader(File.ReadAllText(path)));
    return stream;
}

static YamlSequenceNode Pools(YamlStream yaml) =>
    (YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("config")]).Children[new YamlScalarNode("fleet:pools")];

static int EditStackFile(string path, Action<YamlStream> edit)
{
    var yaml = Load(path);
    try { edit(yaml); }
    catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or ArgumentOutOfRangeException or InvalidCastException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 255;
    }
    using var writer = new StringWriter { NewLine = "\n" };
    yaml.Save(writer, assignAnchors: false);
    var text = writer.ToString();
    if (text.EndsWith("...\n", StringComparison.Ordinal)) text = text[..^4];
    WriteAtomically(path, text);
    return 0;
}

// Readers (the tests, the service's webhook handler) never see a half-written file.
static void WriteAtomically(string path, string text)
{
    var temp = path + ".tmp" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    File.WriteAllText(temp, text);
    File.Move(temp, path, overwrite: true);
}

// Only the shape the service uses: fleet:pools[i].nodes[k].
static (int Pool, int Element) ParsePath(string key)
{
    var m = System.Text.RegularExpressions.Regex.Match(key, @"^fleet:pools\[(\d+)\]\.nodes\[(\d+)\]$");
    if (!m.Success) throw new InvalidOperationException($"the fake only edits fleet:pools[i].nodes[k], not {key}");
    return (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
}

static YamlSequenceNode Nodes(YamlStream yaml, int pool)
{
    var map = (YamlMappingNode)Pools(yaml).Children[pool];
    if (!map.Children.TryGetValue(new YamlScalarNode("nodes"), out var nodes)) map.Children[new YamlScalarNode("nodes")] = nodes = new YamlSequenceNode();
    return (YamlSequenceNode)nodes;
}

static void SetPath(YamlStream yaml, string key, string value)
{
    var (pool, element) = ParsePath(key);
    var nodes = Nodes(yaml, pool);
    var scalar = new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted };
    if (element < nodes.Children.Count) nodes.Children[element] = scalar;
    else if (element == nodes.Children.Count) nodes.Children.Add(scalar);
    else throw new InvalidOperationException($"index {element} is past the end of the list ({nodes.Children.Count} items)");
}

static void RemovePath(YamlStream yaml, string key)
{
    var (pool, element) = ParsePath(key);
    Nodes(yaml, pool).Children.RemoveAt(element);
}
