using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Synthesis;

public class DiscoveryTests
{
    [Fact]
    public void Discovery_references_every_package_of_a_real_run_at_the_same_version()
    {
        var discovery = Packages(DiscoveryProgram.Build("fleet"));
        foreach (var stack in new[] { "dev", "prod" })
        {
            var real = Packages(SynthesisPipeline.Run(TestStacks.Committed(stack)).Program!);
            Assert.NotEmpty(real);
            foreach (var (package, version) in real) Assert.Equal(version, discovery[package]);
        }
    }

    [Fact]
    public void Every_resource_and_invoke_of_a_package_carries_one_version()
    {
        var program = SynthesisPipeline.Run(TestStacks.Committed("prod")).Program!;
        var versions = program.Resources.Select(r => (r.Package, ((PString)r.Options["version"]!).Raw))
            .Concat(Invokes(program).Select(i => (i.Function[..i.Function.IndexOf(':')], i.Version)))
            .GroupBy(v => v.Item1);

        Assert.All(versions, g => Assert.Single(g.Select(v => v.Item2).Distinct()));
    }

    private static Dictionary<string, string> Packages(PulumiProgram program) =>
        program.Resources.Select(r => (r.Package, Version: ((PString)r.Options["version"]!).Raw))
            .Concat(Invokes(program).Select(i => (Package: i.Function[..i.Function.IndexOf(':')], i.Version)))
            .GroupBy(p => p.Package).ToDictionary(g => g.Key, g => g.First().Version);

    private static IEnumerable<(string Function, string Version)> Invokes(PulumiProgram program)
    {
        IEnumerable<(string, string)> Walk(PValue v) => v switch
        {
            PMap m when m.Entries.Count == 1 && m.Entries[0].Key == "fn::invoke" && m.Entries[0].Value is PMap body =>
                [(((PString)body["function"]!).Raw, ((PString)((PMap)body["options"]!)["version"]!).Raw), .. Walk(body["arguments"]!)],
            PMap m => m.Entries.SelectMany(e => Walk(e.Value)),
            PList l => l.Items.SelectMany(Walk),
            _ => [],
        };
        return program.Resources.SelectMany(r => Walk(r.Properties)).Concat(program.VariableList.SelectMany(v => Walk(v.Value))).Concat(program.Outputs.SelectMany(o => Walk(o.Value)));
    }
}
