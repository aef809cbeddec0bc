using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;
using Fleet.Infra.Validation;

namespace Fleet.Infra.Tests.Validation;

public class SchemaValidatorTests
{
    public static TheoryData<string, string?> Variants => new()
    {
        { "fleet:pools", null },
        { "fleet:domain", "example.org" },
        { "fleet:pools", "[{name: cpu, size: c-4, nodes: [a1, a2], max: 4, autoscale: true}, {name: big, size: m-4vcpu-32gb, count: 3}]" },
        { "fleet:apiKeys", "{secure: v1:xyz}" },
    };

    [Fact]
    public void The_committed_stacks_are_valid_against_the_provider_schemas()
    {
        foreach (var stack in TestStacks.AllCommitted())
        {
            var program = SynthesisPipeline.Run(TestStacks.Committed(stack)).Program!;
            Assert.Empty(SchemaValidator.Validate(program));
            Assert.Empty(ReferenceValidator.Validate(program));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_variant_is_valid_against_the_provider_schemas(string key, string? yaml)
    {
        var overrides = key == "fleet:domain" ? new[] { (key, yaml), ("fleet:acmeEmail", (string?)"ops@example.org") } : [(key, yaml)];
        if (key == "fleet:pools" && yaml is null) overrides = [];
        var program = TestStacks.Synthesize(overrides).Program!;

        Assert.Empty(SchemaValidator.Validate(program));
        Assert.Empty(ReferenceValidator.Validate(program));
    }

    [Fact]
    public void A_deprecated_property_is_refused()
    {
        // networksAdvanceds[].name reads back only as the network id: a replace at every up (docs/engine-semantics.md).
        var network = new PMapBuilder { { "name", "fleet" } }.Build();
        var errors = SchemaValidator.Validate(Program(
            Res("svc", "docker:index/service:Service", ("name", "s"), ("taskSpec", new PMapBuilder
            {
                { "containerSpec", new PMapBuilder { { "image", "x" } }.Build() },
                { "networksAdvanceds", new PList(network) },
            }.Build()))));

        var error = Assert.Single(errors);
        Assert.Equal("resources.svc.properties.taskSpec.networksAdvanceds[0].name", error.Path);
        Assert.Contains("deprecated", error.Message, StringComparison.Ordinal);
        Assert.Contains("Use the id attribute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catches_the_integer_id_trap()
    {
        var errors = SchemaValidator.Validate(Program(
            Res("manager", "digitalocean:index/droplet:Droplet", ("image", "ubuntu-24-04-x64"), ("size", "c-4")),
            Res("assign", "digitalocean:index/reservedIpAssignment:ReservedIpAssignment", ("ipAddress", "1.2.3.4"), ("dropletId", Px.Ref("manager.id")))));

        Assert.Contains(errors, e => e.Path == "resources.assign.properties.dropletId" && e.Message.Contains("integer-id trap", StringComparison.Ordinal));
    }

    [Fact]
    public void Catches_unknown_types_properties_missing_required_inputs_and_wrong_literal_types()
    {
        var errors = SchemaValidator.Validate(Program(
            Res("a", "digitalocean:index/droplett:Droplet"),
            Res("b", "digitalocean:index/droplet:Droplet", ("image", "x"), ("size", "c-4"), ("colour", "red")),
            Res("c", "digitalocean:index/droplet:Droplet", ("image", "x")),
            Res("d", "digitalocean:index/droplet:Droplet", ("image", "x"), ("size", "c-4"), ("monitoring", 3)),
            Res("e", "digitalocean:index/firewall:Firewall", ("inboundRules", new PList(new PMapBuilder { { "protocol", "tcp" }, { "sourceAdresses", "x" } }.Build())))));

        Assert.Contains(errors, e => e.Path == "resources.a.type");
        Assert.Contains(errors, e => e.Path == "resources.b.properties.colour");
        Assert.Contains(errors, e => e.Path == "resources.c.properties" && e.Message.Contains("'size'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "resources.d.properties.monitoring" && e.Message.Contains("boolean", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Path == "resources.e.properties.inboundRules[0].sourceAdresses");
    }

    [Fact]
    public void Catches_unknown_invokes_and_return_properties()
    {
        var errors = SchemaValidator.Validate(Program(
            Res("a", "random:index/randomPassword:RandomPassword", ("length", ProgramBuilder.Invoke("std:index:parseint", new PMapBuilder { { "input", "3" } }, "value"))),
            Res("b", "random:index/randomPassword:RandomPassword", ("length", ProgramBuilder.Invoke("std:index:nosuch", new PMapBuilder(), "result")))));

        Assert.Contains(errors, e => e.Path == "resources.a.properties.length.return");
        Assert.Contains(errors, e => e.Path == "resources.b.properties.length");
    }

    [Fact]
    public void References_to_undeclared_names_and_cycles_are_caught()
    {
        var errors = ReferenceValidator.Validate(Program(
            Res("a", "random:index/randomPassword:RandomPassword", ("length", 8), ("keepers", new PMapBuilder { { "x", Px.Ref("b.result") } }.Build())),
            Res("b", "random:index/randomPassword:RandomPassword", ("length", 8), ("keepers", new PMapBuilder { { "x", Px.Ref("a.result") }, { "y", Px.Ref("nothing.id") } }.Build()))));

        Assert.Contains(errors, e => e.Message.Contains("'nothing'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("dependency cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Pinned_versions_match_the_schema_set_shipped_with_fleet()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Infra, "Schemas", "README.md"));
        foreach (var (package, version) in ProviderVersions.All)
            Assert.Contains(package == "kubernetes" ? $"| (none) | kubernetes | v{version} " : $"| {package}.json.gz | {package} | v{version} |", readme);
    }

    private static PulumiProgram Program(params PulumiResource[] resources) => new("t", "t", [], resources, []);

    private static PulumiResource Res(string name, string type, params (string Key, PValue Value)[] props)
    {
        var map = new PMapBuilder();
        foreach (var (k, v) in props) map.Add(k, v);
        return new PulumiResource(name, type, map.Build(), new PMap([]));
    }
}
