using Fleet.Infra.Diagnostics;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Validation;

/// <summary>
/// Every <c>${…}</c>, <c>dependsOn</c> and <c>provider</c> names a declared resource, variable or config key, and the
/// graph of resources and variables is acyclic.
/// </summary>
public static class ReferenceValidator
{
    public const string Code = "FLEET101";

    public static IReadOnlyList<Diagnostic> Validate(PulumiProgram program)
    {
        var bag = new DiagnosticBag();
        // Resources and variables are the graph's nodes: both are evaluated once and may refer to each other.
        var nodes = program.Resources.Select(r => (Path: $"resources.{r.Name}", r.Name, Refs: Interpolation.References(r.Properties).Concat(Interpolation.References(r.Options))))
            .Concat(program.VariableList.Select(v => (Path: $"variables.{v.Key}", Name: v.Key, Refs: Interpolation.References(v.Value))))
            .ToArray();
        var declared = nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        // Declared config, and the project's stack config keys: pulumi-yaml makes a node of every one the stack sets
        // (run.go getConfNodesFromMap), so `${key}` reads it; the config readers require the keys the program reads.
        var config = program.Config.Select(c => c.Key).Concat(program.ConfigNodeNames).ToHashSet(StringComparer.Ordinal);
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        // pulumi-yaml puts every project config key into the same name space and silently drops a resource or variable
        // of the same name (sort.go checkUniqueNode): refuse the program instead.
        foreach (var (path, name, _) in nodes.Where(n => program.ConfigNodeNames.Contains(n.Name, StringComparer.Ordinal)))
            bag.Error(Code, path, $"'{name}' is also the name of the stack config key {program.Name}:{name}; the engine would read the config value and never register this", "this is a Fleet bug: please report it");

        foreach (var (path, name, refs) in nodes)
        {
            var deps = edges[name] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var reference in refs)
            {
                var root = Interpolation.Root(reference);
                if (declared.Contains(root)) deps.Add(root);
                else if (!config.Contains(root) && root != "pulumi")
                    bag.Error(Code, path, $"'${{{reference}}}' refers to '{root}', which is neither a resource, a variable nor config of this program", "this is a Fleet bug: please report it");
            }
        }
        foreach (var (name, value) in program.Outputs)
            foreach (var reference in Interpolation.References(value))
                if (!declared.Contains(Interpolation.Root(reference)) && !config.Contains(Interpolation.Root(reference)))
                    bag.Error(Code, $"outputs.{name}", $"'${{{reference}}}' refers to nothing declared", "this is a Fleet bug: please report it");

        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (path, name, _) in nodes)
            if (Cycle(name, edges, state, []) is { } cycle)
            {
                bag.Error(Code, path, $"dependency cycle: {string.Join(" -> ", cycle)}", "this is a Fleet bug: please report it");
                break;
            }
        return bag.Items;
    }

    private static List<string>? Cycle(string node, Dictionary<string, HashSet<string>> edges, Dictionary<string, int> state, List<string> stack)
    {
        if (state.TryGetValue(node, out var s)) return s == 1 ? [.. stack[stack.IndexOf(node)..], node] : null;
        state[node] = 1;
        stack.Add(node);
        foreach (var next in edges[node])
            if (Cycle(next, edges, state, stack) is { } c) return c;
        stack.RemoveAt(stack.Count - 1);
        state[node] = 2;
        return null;
    }
}
