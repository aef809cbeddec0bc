using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Hardening;

/// <summary>
/// Every error is <c>{"error":{"message","type","param","code"}}</c> without .NET type names.
/// Before: invalid UTF-8 and lone surrogates answered 500, unknown routes and wrong methods empty bodies, and JSON
/// type errors quoted System.* types.
/// </summary>
public sealed class ErrorShapeTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HttpClient Http => fixture.Agent.Http;

    public static TheoryData<string, byte[], string?> BadBodies => new()
    {
        { "v1/completions", [.. "{\"prompt\":\""u8, 0xff, 0xfe, .. "\"}"u8], "prompt" },
        { "v1/chat/completions", [.. "{\"messages\":[{\"role\":\"user\",\"content\":\"a"u8, 0xc3, .. "\"}]}"u8], "messages[0].content" },
        { "v1/completions", "{\"prompt\":\"\\ud800\"}"u8.ToArray(), "prompt" },
        { "v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\\udc00y\"}]}"u8.ToArray(), "messages[0].content" },
        { "v1/chat/completions", "{\"messages\":[{\"role\":\"\\ud800\",\"content\":\"x\"}]}"u8.ToArray(), "messages[0].role" },
        { "v1/completions", "{\"prompt\":\"x\",\"stop\":[\"\\udfff\"]}"u8.ToArray(), "stop" },
        { "v1/completions", "{\"prompt\":\"x\",\"max_tokens\":\"many\"}"u8.ToArray(), "max_tokens" },
        { "v1/chat/completions", "{\"messages\":{\"role\":\"user\"}}"u8.ToArray(), "messages" },
        { "v1/completions", "{\"prompt\":"u8.ToArray(), "prompt" },
        { "v1/completions", "[1]"u8.ToArray(), null },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Undecodable_or_mistyped_bodies_get_400_naming_the_field(string route, byte[] body, string? param)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync(route, content);
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.NotNull(error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("GET", "v1/nothing-here")]
    [InlineData("POST", "v1/audio/speech")]
    [InlineData("GET", "")]
    public async Task Unknown_routes_get_a_JSON_404(string method, string path)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("unknown_url", error.GetProperty("code").GetString());
        Assert.Contains($"{method} /{path}", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("GET", "v1/chat/completions", "POST")]
    [InlineData("DELETE", "v1/completions", "POST")]
    [InlineData("POST", "v1/models", "GET")]
    [InlineData("PUT", "health", "GET")]
    public async Task Wrong_methods_get_a_JSON_405_with_Allow(string method, string path, string allowed)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Equal("method_not_allowed", error.GetProperty("code").GetString());
        Assert.Contains(allowed, response.Content.Headers.Allow);
    }

    [Fact]
    public async Task Field_errors_carry_param_and_code()
    {
        using var response = await Http.PostAsync("v1/completions",
            new StringContent("{\"prompt\":\"x\",\"temperature\":3}", Encoding.UTF8, "application/json"));
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("temperature", error.GetProperty("param").GetString());
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Stop_sequences_longer_than_the_matcher_takes_are_refused()
    {
        // Matching holds back text that may start a stop sequence, at a cost that grows with its square on the
        // inference loop every slot shares: a 100 KB stop would stall all of them.
        var body = new { prompt = "one", max_tokens = 2, stop = new[] { new string('a', 257) } };
        using var response = await Http.PostAsync("v1/completions",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        var error = await AgentCalls.ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("stop", error.GetProperty("param").GetString());
        Assert.Contains("256 characters", error.GetProperty("message").GetString());
    }
}
