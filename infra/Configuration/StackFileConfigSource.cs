using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fleet.Infra.Configuration;

/// <summary>
/// Reads <c>Pulumi.&lt;stack&gt;.yaml</c> the way the Pulumi CLI stores it: a <c>config:</c> map of
/// <c>namespace:key</c> to values, where <c>{secure: …}</c> marks an encrypted secret (the whole value, or one
/// part of it when set with <c>pulumi config set --secret --path</c>).
/// </summary>
public static class StackFileConfigSource
{
    /// <summary>The top-level keys of a Pulumi stack file.</summary>
    public static readonly string[] TopLevelKeys = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

    /// <summary>Loads <c>Pulumi.&lt;stack&gt;.yaml</c> from <paramref name="projectDirectory"/>.</summary>
    public static StackConfig Load(string projectDirectory, string stack, string project)
    {
        if (stack.Length == 0 || !stack.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || stack.StartsWith('.'))
            throw new ConfigSourceException($"\"{ConfigFieldReader.Printable(stack)}\" is not a stack name (letters, digits, -, _ and ., not starting with .); pass --stack with one of: {string.Join(", ", ListStacks(projectDirectory))}");
        var path = Path.Combine(projectDirectory, $"Pulumi.{stack}.yaml");
        if (!File.Exists(path))
            throw new ConfigSourceException($"no stack file {path}: create it with `pulumi stack init {stack}` or pass --stack with one of: {string.Join(", ", ListStacks(projectDirectory))}");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigSourceException($"{path}: cannot be read ({e.Message})");
        }
        return Parse(text, stack, project, path);
    }

    /// <summary>The stack names that have a <c>Pulumi.&lt;stack&gt;.yaml</c> in the folder.</summary>
    public static IReadOnlyList<string> ListStacks(string projectDirectory) =>
        Directory.Exists(projectDirectory)
            ? Directory.GetFiles(projectDirectory, "Pulumi.*.yaml").Select(f => Path.GetFileName(f)["Pulumi.".Length..^".yaml".Length]).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Parses stack-file text. Throws <see cref="ConfigSourceException"/> naming file, line and column when it cannot be read.</summary>
    public static StackConfig Parse(string yaml, string stack, string project, string sourceName = "stack file")
    {
        var values = new Dictionary<string, RawConfigValue>(StringComparer.Ordinal);
        var outside = new List<string>();
        var node = StackFileYaml.Load(yaml, sourceName);
        if (node is null || IsNull(node)) return new StackConfig(stack, project, values, ConfigOrigin.StackFile);
        if (node is not YamlMappingNode root)
            throw StackFileYaml.Error(sourceName, node.Start, $"a stack file is a map with a config: key, not {Kind(node)}");

        foreach (var (keyNode, _) in root.Children)
        {
            var key = KeyText(keyNode, sourceName);
            if (!TopLevelKeys.Contains(key)) outside.Add(key);
        }
        if (root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode) && !IsNull(configNode))
        {
            if (configNode is not YamlMappingNode config)
                throw StackFileYaml.Error(sourceName, configNode.Start, $"config: must be a map of keys (fleet:region) to values, not {Kind(configNode)}");
            foreach (var (keyNode, valueNode) in config.Children)
            {
                var written = KeyText(keyNode, sourceName);
                var key = written.Contains(':') ? written : $"{project}:{written}";
                if (values.ContainsKey(key))
                    throw StackFileYaml.Error(sourceName, keyNode.Start, $"{written} sets {key} a second time (once with and once without the {project}: namespace); keep one");
                var secrets = new List<string>();
                values[key] = IsSecure(valueNode)
                    ? new RawConfigValue(null, IsSecret: true)
                    : new RawConfigValue(ToJson(valueNode, "", secrets, new Budget(sourceName)), IsSecret: false) { SecretPaths = secrets };
            }
        }
        return new StackConfig(stack, project, values, ConfigOrigin.StackFile) { KeysOutsideConfig = outside };
    }

    /// <summary>Values one setting may expand to: aliases of aliases (a "billion laughs") must not exhaust memory.</summary>
    public const int MaxValues = 100_000;

    /// <summary>Counts the values a setting expands to.</summary>
    private sealed class Budget(string source)
    {
        public string Source => source;

        public int Used { get; set; }
    }

    /// <summary>YAML node → JSON node, typing plain scalars as YAML 1.2 core does; nested <c>{secure: …}</c> become null, their paths collected.</summary>
    private static JsonNode? ToJson(YamlNode node, string path, List<string> secrets, Budget budget)
    {
        var source = budget.Source;
        if (++budget.Used > MaxValues)
            throw StackFileYaml.Error(source, node.Start, $"this setting expands to more than {MaxValues} values (aliases repeating aliases); write it out");
        switch (node)
        {
            case YamlMappingNode map when IsSecure(map):
                secrets.Add(path);
                return null;
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var key = KeyText(k, source);
                    if (obj.ContainsKey(key)) throw StackFileYaml.Error(source, k.Start, $"the key {key} appears twice in one map; keep one");
                    obj[key] = ToJson(v, path + "." + key, secrets, budget);
                }
                return obj;
            case YamlSequenceNode seq:
                return new JsonArray(seq.Children.Select((item, i) => ToJson(item, $"{path}[{i}]", secrets, budget)).ToArray());
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw StackFileYaml.Error(source, node.Start, $"{Kind(node)} cannot be read here");
        }
    }

    private static bool IsNull(YamlNode node) => node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" };

    private static bool IsSecure(YamlNode node) =>
        node is YamlMappingNode m && m.Children.Count == 1 && m.Children.TryGetValue(new YamlScalarNode("secure"), out var v) && v is YamlScalarNode;

    private static string KeyText(YamlNode key, string source) => key is YamlScalarNode { Value: { } text }
        ? text
        : throw StackFileYaml.Error(source, key.Start, $"a key must be text (like fleet:region), not {Kind(key)}; quote it if it is meant as text");

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a map",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"the value \"{ConfigFieldReader.Printable(s.Value ?? "")}\"",
        _ => "an alias",
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            // `pulumi config set KEY '[...]'` stores JSON as a string; the engine hands the compiler that string, which
            // it decodes (EngineConfigSource). Read the stack file the same way.
            var trimmed = text.TrimStart();
            if (trimmed.StartsWith('[') || trimmed.StartsWith('{'))
            {
                try { return ConfigJson.Parse(text); }
                catch (System.Text.Json.JsonException) { /* not JSON: a string */ }
            }
            return JsonValue.Create(text);
        }
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) && !(text.Length > 1 && text.TrimStart('-', '+')[0] == '0'))
            return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && text.Any(char.IsAsciiDigit)) return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
