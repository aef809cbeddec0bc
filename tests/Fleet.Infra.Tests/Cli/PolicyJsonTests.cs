using System.Text.Json;
using Fleet.Infra.Cli;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Cli;

/// <summary><c>fleet policy --format json</c>: one document however many stacks, text as written.</summary>
public sealed class PolicyJsonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-policy-json").FullName;

    public PolicyJsonTests()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.yaml"), "name: fleet\nruntime: yaml\n");
        File.WriteAllText(Path.Combine(_dir, "Pulumi.a.yaml"), TestStacks.Yaml(("fleet:policy", "{enforcement: advisory}")));
        File.WriteAllText(Path.Combine(_dir, "Pulumi.b.yaml"), TestStacks.Yaml(("fleet:policy", "{enforcement: advisory, allowedRegions: [nyc3]}")));
    }

    [Fact]
    public void Several_stacks_print_one_json_document()
    {
        var stdout = new StringWriter();

        PolicyCommand.Run(null, "json", _dir, stdout, new StringWriter());

        var doc = JsonDocument.Parse(stdout.ToString()).RootElement; // throws on two documents back to back
        Assert.Equal(["a", "b"], doc.GetProperty("stacks").EnumerateArray().Select(s => s.GetProperty("stack").GetString()));
        Assert.Equal(doc.GetProperty("advisory").GetInt32(), doc.GetProperty("stacks").EnumerateArray().Sum(s => s.GetProperty("advisory").GetInt32()));
    }

    [Fact]
    public void Unreadable_and_invalid_stacks_are_in_the_same_document()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.c.yaml"), "config:\n  fleet:region: [fra1\n");
        File.WriteAllText(Path.Combine(_dir, "Pulumi.d.yaml"), TestStacks.Yaml(("fleet:cloud", "aws")));
        var stdout = new StringWriter();

        var code = PolicyCommand.Run(null, "json", _dir, stdout, new StringWriter());

        Assert.Equal(ExitCodes.ConfigUnreadable, code);
        var stacks = JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("stacks").EnumerateArray().ToDictionary(s => s.GetProperty("stack").GetString()!);
        Assert.Equal("unreadable", stacks["c"].GetProperty("status").GetString());
        Assert.Contains("Pulumi.c.yaml:2:17:", stacks["c"].GetProperty("error").GetString());
        Assert.Equal("config-invalid", stacks["d"].GetProperty("status").GetString());
        Assert.Equal("fleet:cloud", stacks["d"].GetProperty("problems")[0].GetProperty("path").GetString());
    }

    [Fact]
    public void Quotes_and_angle_brackets_stay_readable()
    {
        var stdout = new StringWriter();

        PolicyCommand.Run("b", "json", _dir, stdout, new StringWriter());

        var text = stdout.ToString();
        Assert.DoesNotContain("\\u0027", text);
        Assert.DoesNotContain("\\u003C", text);
        Assert.DoesNotContain("\\u0022", text);
        Assert.Contains("FP009", text);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
