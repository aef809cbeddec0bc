using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Hardening;

/// <summary><c>pulumi config set --secret --path 'fleet:apiKeys[0].key'</c> stores one part of a value encrypted: recognised as a secret.</summary>
public class NestedSecretTests
{
    private const string PathSecretKeys = "\n    - name: ci\n      key:\n        secure: v1:abcdef\n      requestsPerMinute: 60\n    - name: ops\n      key:\n        secure: v1:ghijkl\n";

    [Fact]
    public void Keys_encrypted_one_by_one_are_secret_and_nobody_is_told_to_rotate()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:apiKeys", PathSecretKeys)));

        Assert.True(result.Program is not null, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code == ConfigCodes.NotSecret || d.Message.Contains("rotate", StringComparison.Ordinal));
        Assert.Equal((true, false), (result.Config!.ApiKeys.Set, result.Config.ApiKeys.Available));
    }

    [Fact]
    public void The_stack_file_reader_records_where_the_encrypted_parts_are()
    {
        var value = TestStacks.StackFile(("fleet:apiKeys", PathSecretKeys)).Get("fleet:apiKeys")!;

        Assert.False(value.IsSecret);
        Assert.Equal(["[0].key", "[1].key"], value.SecretPaths);
    }

    [Fact]
    public void A_plain_key_beside_encrypted_ones_is_the_one_reported()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:apiKeys",
            PathSecretKeys + "    - name: leaked\n      key: \"0123456789abcdef0123456789abcdef\"\n")));

        var d = Assert.Single(result.Diagnostics, d => d.Code == ConfigCodes.NotSecret);
        Assert.Equal("fleet:apiKeys[2].key", d.Path);
        Assert.Contains("rotate this key", d.Message);
        Assert.Equal("pulumi config set --path --secret 'fleet:apiKeys[2].key' <32+ random characters>", d.Fix);
    }

    [Fact]
    public void Duplicate_names_are_still_caught_when_the_keys_are_encrypted()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:apiKeys", PathSecretKeys.Replace("name: ops", "name: ci", StringComparison.Ordinal))));

        Assert.Contains(result.Diagnostics, d => d.Path == "fleet:apiKeys[1].name" && d.Code == ConfigCodes.Duplicate);
    }
}
