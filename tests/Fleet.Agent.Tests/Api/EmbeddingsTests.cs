using System.Runtime.InteropServices;
using System.Text.Json;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>/v1/embeddings: served for a model that declares a pooling type, a clear 400 naming the model otherwise.</summary>
public sealed class EmbeddingsTests(EmbeddingAgentFixture fixture) : IClassFixture<EmbeddingAgentFixture>
{
    [Fact]
    public async Task An_embedding_model_returns_one_unit_vector_per_input_that_depends_on_the_text()
    {
        var agent = fixture.Agent;
        var root = await AgentCallsJson.PostOkAsync(agent.Http, "v1/embeddings", new { input = new[] { "one two three", "hello", "one two three" }, model = "m" });
        Assert.Equal("list", root.GetProperty("object").GetString());
        var data = root.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], data.Select(d => d.GetProperty("index").GetInt32()));
        var vectors = data.Select(d => d.GetProperty("embedding").EnumerateArray().Select(x => x.GetSingle()).ToArray()).ToList();
        Assert.All(vectors, v => Assert.Equal(64, v.Length)); // the model's embedding width
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 3));
        Assert.Equal(vectors[0], vectors[2]);
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.Equal(4 + 2 + 4, root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32()); // <s> one two three, <s> hello

        var encoded = await AgentCallsJson.PostOkAsync(agent.Http, "v1/embeddings", new { input = "hello", encoding_format = "base64" });
        var bytes = Convert.FromBase64String(encoded.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        Assert.Equal(vectors[1], MemoryMarshal.Cast<byte, float>(bytes).ToArray());
    }

    [Fact]
    public async Task A_chat_model_answers_400_model_not_supported_naming_it()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env());
        var error = await AgentCallsJson.PostBadAsync(agent.Http, "v1/embeddings", "{\"input\":\"hello\"}");
        Assert.Equal("model_not_supported", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());
        Assert.StartsWith("model scripted does not produce embeddings", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"input\":\"x\",\"dimensions\":8}", "dimensions")]
    [InlineData("{\"input\":[1,2,3]}", "input")]
    [InlineData("{\"input\":[]}", "input")]
    [InlineData("{\"input\":\"x\",\"encoding_format\":\"hex\"}", "encoding_format")]
    public async Task Fields_it_cannot_serve_are_400_naming_them(string body, string param)
    {
        var error = await AgentCallsJson.PostBadAsync(fixture.Agent.Http, "v1/embeddings", body);
        Assert.Equal(param, error.GetProperty("param").GetString());
    }
}
