using Fleet.Infra.Tests.Evaluation;

namespace Fleet.Infra.Tests.Lifecycle;

/// <summary>
/// The steps <c>pulumi up</c> would run to go from the state a previous up left (its program, read back by each
/// provider) to a new program — modelled on pulumi/pulumi v3.259.0 pkg/resource/deploy/step_generator.go:
/// <list type="bullet">
/// <item>Diff compares the stored state (read back, <see cref="ProviderReadBack"/>) with the new inputs, after
/// <c>ignoreChanges</c> copied the old inputs back at the ignored paths (processIgnoreChanges).</item>
/// <item>A change under a ForceNew path, a <c>--replace</c> target, or a replaced <c>replaceWith</c> target replaces;
/// other changes update.</item>
/// <item>Create-before-delete: the old copy is deleted with the other deletes, at the end. deleteBeforeReplace: dependents
/// that would be replaced are deleted first, then the old resource (calculateDependentReplacements).</item>
/// <item>Deletes run dependents first (ScheduleDeletes reverses the dependency order); a resource whose <c>deletedWith</c>
/// target is deleted too is skipped (step.go isDeletedWith).</item>
/// </list>
/// </summary>
public static class EnginePlanner
{
    /// <summary>Properties whose change replaces, per type (prefix match on the dotted path); from the provider schemas.</summary>
    private static readonly Dictionary<string, string[]> ForceNew = new(StringComparer.Ordinal)
    {
        ["docker:index/service:Service"] = ["name", "taskSpec.networksAdvanceds"],
        ["docker:index/network:Network"] = [""],
        ["docker:index/serviceConfig:ServiceConfig"] = ["data", "name"],
        ["docker:index/secret:Secret"] = ["data", "name"],
        ["command:remote:Command"] = ["triggers"],
        ["digitalocean:index/droplet:Droplet"] = ["image", "region", "sshKeys", "userData", "monitoring", "vpcUuid"],
        ["digitalocean:index/reservedIpAssignment:ReservedIpAssignment"] = [""],
        ["hcloud:index/server:Server"] = ["image", "location", "userData", "sshKeys"],
        ["random:index/randomPassword:RandomPassword"] = [""],
        ["tls:index/privateKey:PrivateKey"] = [""],
    };

    /// <summary>Optional+Computed inputs: left out of the program, the stored value stands (no diff); per type, dotted paths with [*].</summary>
    private static readonly Dictionary<string, string[]> Computed = new(StringComparer.Ordinal)
    {
        ["hcloud:index/server:Server"] = ["networks[*].ip"],
    };

    public static IReadOnlyList<EngineStep> Up(EvaluatedProgram state, EvaluatedProgram next, params string[] replace)
    {
        var steps = new List<EngineStep>();
        var old = state.Resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        var deletedEarly = new HashSet<string>(StringComparer.Ordinal);
        var pendingDeletes = new List<string>();

        foreach (var r in next.Resources)
        {
            if (!old.TryGetValue(r.Name, out var before)) { steps.Add(new("create", r.Name)); continue; }
            var changed = ChangedPaths(before, r).ToArray();
            var replaceWith = r.Options.TryGetValue("replaceWith", out var rw) && rw is List<object?> targets && targets.OfType<ResourceRef>().Any(t => replaced.Contains(t.Name));
            var forceNew = ForceNew.TryGetValue(r.Type, out var prefixes) ? prefixes : [];
            var dependencyReplaced = r.PropertyDependencies.Any(replaced.Contains) && r.Type == "command:remote:Command" && changed.Length > 0;
            if (replace.Contains(r.Name) || replaceWith || changed.Any(p => forceNew.Any(f => f.Length == 0 || p == f || p.StartsWith(f + ".", StringComparison.Ordinal) || p.StartsWith(f + "[", StringComparison.Ordinal))) || dependencyReplaced)
            {
                replaced.Add(r.Name);
                if (r.Options.TryGetValue("deleteBeforeReplace", out var dbr) && dbr is true)
                {
                    // Dependents that will be replaced go first, dependents before their dependencies.
                    foreach (var dependent in Dependents(state, r.Name).Where(d => WillReplace(state, next, d, r.Name)))
                        if (deletedEarly.Add(dependent)) steps.Add(new("delete-replaced", dependent));
                    steps.Add(new("delete-replaced", r.Name));
                    deletedEarly.Add(r.Name);
                    steps.Add(new("create-replacement", r.Name));
                }
                else
                {
                    if (deletedEarly.Contains(r.Name)) steps.Add(new("create-replacement", r.Name));
                    else { steps.Add(new("create-replacement", r.Name)); pendingDeletes.Add(r.Name); }
                }
            }
            else if (changed.Length > 0) steps.Add(new("update", r.Name));
        }

        var deletes = state.Resources.Select(r => r.Name).Where(n => next.Resources.All(r => r.Name != n)).Concat(pendingDeletes).ToHashSet(StringComparer.Ordinal);
        foreach (var name in DependentsFirst(state, deletes))
        {
            var r = old[name];
            var skip = r.Options.TryGetValue("deletedWith", out var dw) && dw is ResourceRef target && deletes.Contains(target.Name);
            steps.Add(new(skip ? "skip-delete" : next.Resources.Any(n => n.Name == name) ? "delete-replaced" : "delete", name));
        }
        return steps;
    }

    /// <summary>Dotted paths where the new inputs differ from the stored state, ignoring the <c>ignoreChanges</c> paths.</summary>
    public static IEnumerable<string> ChangedPaths(EvaluatedResource before, EvaluatedResource after)
    {
        var stored = ProviderReadBack.Of(before.Type, before.Inputs);
        var ignored = after.Options.TryGetValue("ignoreChanges", out var ic) && ic is List<object?> list ? list.Cast<string>().ToArray() : [];
        var computed = Computed.TryGetValue(after.Type, out var c) ? c : [];
        return Diff("", stored, after.Inputs.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal))
            .Where(p => !(computed.Any(x => System.Text.RegularExpressions.Regex.IsMatch(p, "^" + System.Text.RegularExpressions.Regex.Escape(x).Replace(@"\[\*]", @"\[\d+]", StringComparison.Ordinal) + "$")) && Absent(after.Inputs, p)))
            .Where(p => !ignored.Any(i => p == i || p.StartsWith(i + ".", StringComparison.Ordinal) || p.StartsWith(i + "[", StringComparison.Ordinal) || Wildcard(i, p)));
    }

    private static bool Absent(IReadOnlyDictionary<string, object?> inputs, string path)
    {
        object? current = inputs.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(path, @"[^.\[\]]+|\[(\d+)\]"))
        {
            current = EvaluatedResource.Unwrap(current);
            if (m.Groups[1].Success) current = current is List<object?> l && int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) < l.Count ? l[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] : null;
            else current = current is Dictionary<string, object?> d && d.TryGetValue(m.Value, out var v) ? v : null;
            if (current is null) return true;
        }
        return false;
    }

    private static bool Wildcard(string ignore, string path) => ignore.Contains("[*]", StringComparison.Ordinal) && path.StartsWith(ignore[..ignore.IndexOf("[*]", StringComparison.Ordinal)], StringComparison.Ordinal);

    private static IEnumerable<string> Diff(string path, object? a, object? b)
    {
        a = EvaluatedResource.Unwrap(a);
        b = EvaluatedResource.Unwrap(b);
        switch (a, b)
        {
            case (Dictionary<string, object?> x, Dictionary<string, object?> y):
                foreach (var key in x.Keys.Union(y.Keys).Order(StringComparer.Ordinal))
                    foreach (var p in Diff(path.Length == 0 ? key : $"{path}.{key}", x.GetValueOrDefault(key), y.GetValueOrDefault(key))) yield return p;
                break;
            case (List<object?> x, List<object?> y) when x.Count == y.Count:
                for (var i = 0; i < x.Count; i++)
                    foreach (var p in Diff($"{path}[{i}]", x[i], y[i])) yield return p;
                break;
            default:
                if (!Equals(a, b) && !(a is List<object?> { Count: 0 } && b is null) && !(b is List<object?> { Count: 0 } && a is null)) yield return path;
                break;
        }
    }

    private static bool WillReplace(EvaluatedProgram state, EvaluatedProgram next, string dependent, string replacing)
    {
        var after = next.Resources.FirstOrDefault(r => r.Name == dependent);
        if (after is null) return false;
        var before = state.Resources.First(r => r.Name == dependent);
        // The engine diffs the dependent with the replaced resource's outputs unknown: a ForceNew input fed by it replaces.
        return before.PropertyDependencies.Contains(replacing) && ForceNew.TryGetValue(before.Type, out var f) && f.Length > 0
            && (f.Contains("") || f.Contains("triggers"));
    }

    private static IEnumerable<string> Dependents(EvaluatedProgram state, string name)
    {
        var found = new List<string>();
        void Visit(string n)
        {
            foreach (var r in state.Resources.Where(r => r.AllDependencies.Contains(n) && !found.Contains(r.Name)))
            {
                Visit(r.Name);
                found.Add(r.Name);
            }
        }
        Visit(name);
        return found;
    }

    /// <summary>Deletes ordered so that no resource is deleted before a resource that depends on it.</summary>
    private static IEnumerable<string> DependentsFirst(EvaluatedProgram state, HashSet<string> deletes)
    {
        var order = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string n)
        {
            if (!done.Add(n)) return;
            foreach (var dependent in state.Resources.Where(r => deletes.Contains(r.Name) && r.AllDependencies.Contains(n))) Visit(dependent.Name);
            order.Add(n);
        }
        foreach (var r in state.Resources.Where(r => deletes.Contains(r.Name))) Visit(r.Name);
        return order;
    }
}
