using System.Text.Json.Nodes;
using Fleet.Infra.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fleet.Infra.Cli;

/// <summary>
/// Rewrites the node-id lists of pools that list their nodes (the control service's pools) in a stack file to match
/// the deployed <c>pools</c> output. Every other setting is left as git has it. Comments in the file are not kept.
/// </summary>
public static class StackFileNodeSync
{
    /// <summary>Returns the new file text and a line per changed pool; the text is unchanged when nothing differs.</summary>
    /// <exception cref="ConfigSourceException">The stack file is not readable YAML (names file, line and column).</exception>
    public static (string Text, IReadOnlyList<string> Changes) Apply(string stackFileText, string project, JsonObject deployedPools, string source = "stack file")
    {
        StackFileYaml.Load(stackFileText, source);
        var stream = new YamlStream();
        stream.Load(new StringReader(stackFileText));
        var changes = new List<string>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("config"), out var configNode) || configNode is not YamlMappingNode config
            || !config.Children.TryGetValue(new YamlScalarNode($"{project}:pools"), out var poolsNode) || poolsNode is not YamlSequenceNode pools)
            return (stackFileText, changes);

        foreach (var pool in pools.Children.OfType<YamlMappingNode>())
        {
            if (!pool.Children.TryGetValue(new YamlScalarNode("name"), out var nameNode) || nameNode is not YamlScalarNode { Value: { } name }) continue;
            if (!pool.Children.TryGetValue(new YamlScalarNode("nodes"), out var nodesNode) || nodesNode is not YamlSequenceNode current) continue;
            if (deployedPools[name]?["nodes"] is not JsonArray deployed) continue;
            var before = current.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? "").ToArray();
            var after = deployed.Select(n => n?.ToString() ?? "").ToArray();
            if (before.SequenceEqual(after, StringComparer.Ordinal)) continue;
            pool.Children[new YamlScalarNode("nodes")] = new YamlSequenceNode(after.Select(id => new YamlScalarNode(id) { Style = ScalarStyle.DoubleQuoted }));
            changes.Add($"pool {name}: nodes [{string.Join(", ", before)}] -> [{string.Join(", ", after)}]");
        }
        if (changes.Count == 0) return (stackFileText, changes);
        using var writer = new StringWriter { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        if (text.EndsWith("...\n", StringComparison.Ordinal)) text = text[..^4];
        return (text, changes);
    }
}
