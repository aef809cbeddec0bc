using Fleet.Infra.Diagnostics;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Validation;

/// <summary>Every <c>${…}</c>, <c>dependsOn</c> and <c>provider</c> names a declared resource or config key, and the graph is acyclic.</summary>
public static class ReferenceValidator
{
    public const string Code = "FLEET101";

    public static IReadOnlyList<Diagnostic> Validate(PulumiProgram program)
    {
        var bag = new DiagnosticBag();
        var resources = program.Resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var config = program.Config.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        foreach (var r in program.Resources)
        {
            var deps = edges[r.Name] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var path in Interpolation.References(r.Properties).Concat(Interpolation.References(r.Options)))
            {
                var root = Interpolation.Root(path);
                if (resources.ContainsKey(root)) deps.Add(root);
                else if (!config.Contains(root) && root != "pulumi")
                    bag.Error(Code, $"resources.{r.Name}", $"'${{{path}}}' refers to '{root}', which is neither a resource nor config of this program", "this is a Fleet bug: please report it");
            }
        }
        foreach (var (name, value) in program.Outputs)
            foreach (var path in Interpolation.References(value))
                if (!resources.ContainsKey(Interpolation.Root(path)) && !config.Contains(Interpolation.Root(path)))
                    bag.Error(Code, $"outputs.{name}", $"'${{{path}}}' refers to nothing declared", "this is a Fleet bug: please report it");

        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in program.Resources)
            if (Cycle(r.Name, edges, state, []) is { } cycle)
            {
                bag.Error(Code, $"resources.{r.Name}", $"dependency cycle: {string.Join(" -> ", cycle)}", "this is a Fleet bug: please report it");
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
