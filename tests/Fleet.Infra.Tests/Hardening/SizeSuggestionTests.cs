using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Hardening;

/// <summary>Size and choice typos are answered with the nearest known value; a GPU pool on Hetzner never lists nothing.</summary>
public class SizeSuggestionTests
{
    [Fact]
    public void A_gpu_pool_on_hetzner_with_a_gpu_size_names_the_cpu_sizes_there_are()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:cloud", "hetzner"), ("fleet:region", "fsn1"), ("fleet:manager", "{size: cx23}"),
            ("fleet:images", "{agent: \"r/a:1\", agentGpu: \"r/a:1-cuda\", gateway: \"r/g:1\"}"), ("fleet:pools", "[{name: gpu, size: gpu-h100x1-80gb, count: 1, gpu: true}]")));

        var d = Assert.Single(result.Diagnostics, d => d.Path == "fleet:pools[0].size");
        Assert.Contains("no GPU server types", d.Message);
        Assert.Contains("cx23, cx33", d.Message);
        Assert.DoesNotContain("sizes: ;", d.Message);
        Assert.DoesNotMatch(": *$", d.Message);
        Assert.Equal("pulumi config set --path 'fleet:pools[0].gpu' false", d.Fix);
    }

    [Theory]
    [InlineData("s-4vcpu-8g", "s-4vcpu-8gb")]
    [InlineData("s-4vpcu-8gb", "s-4vcpu-8gb")]
    [InlineData("m-2vcpu-16g", "m-2vcpu-16gb")]
    [InlineData("g-2vcpu-8gb-", "g-2vcpu-8gb")]
    public void A_size_typo_suggests_the_nearest_size(string typo, string near)
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:pools", $"[{{name: cpu, size: \"{typo}\", count: 1}}]")));

        var d = Assert.Single(result.Diagnostics, d => d.Path == "fleet:pools[0].size");
        Assert.Contains($"did you mean {near}?", d.Message);
        Assert.Equal($"pulumi config set --path 'fleet:pools[0].size' {near}", d.Fix);
    }

    [Fact]
    public void A_gpu_size_typo_suggests_a_gpu_size()
    {
        var result = SynthesisPipeline.Run(TestStacks.StackFile(("fleet:images", "{agent: \"r/a:1\", agentGpu: \"r/a:1-cuda\", gateway: \"r/g:1\"}"),
            ("fleet:pools", "[{name: gpu, size: gpu-l40x1-48gb, count: 1, gpu: true}]")));

        Assert.Equal("pulumi config set --path 'fleet:pools[0].size' gpu-l40sx1-48gb", Assert.Single(result.Diagnostics, d => d.Path == "fleet:pools[0].size").Fix);
    }

    [Theory]
    [InlineData("fleet:region", "fra2", "fra1")]
    [InlineData("fleet:cloud", "digitalocaen", "digitalocean")]
    [InlineData("fleet:orchestrator", "k8s", "k3s")]
    public void A_choice_typo_suggests_the_nearest_choice(string key, string typo, string near)
    {
        var d = Assert.Single(SynthesisPipeline.Run(TestStacks.StackFile((key, typo))).Diagnostics, d => d.Path == key);

        Assert.Contains($"did you mean {near}?", d.Message);
        Assert.Equal($"pulumi config set {key} {near}", d.Fix);
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("c-4", "c-4", 0)]
    [InlineData("plna", "plan", 1)]
    public void Edit_distance(string a, string b, int distance) => Assert.Equal(distance, NearestMatch.Distance(a, b));
}
