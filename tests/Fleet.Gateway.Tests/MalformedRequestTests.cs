using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

/// <summary>Bad input gets a clear OpenAI-shaped answer, never a 500 or an empty body.</summary>
public sealed class MalformedRequestTests
{
    public static TheoryData<string, byte[]> BrokenText => new()
    {
        { "raw 0xFF byte in content", Body("\"content\":\"a\u00FFb\"") },
        { "truncated UTF-8 sequence", Body("\"content\":\"caf\u00C3\"") },
        { "lone high surrogate escape", Body("\"content\":\"\\ud800\"") },
        { "lone low surrogate escape", Body("\"content\":\"x\\udc00y\"") },
        { "invalid UTF-8 in a property name", Body("\"n\u00FE\":1,\"content\":\"hi\"") },
        { "invalid UTF-8 in the model", Encoding.Latin1.GetBytes("{\"model\":\"tiny\u00FF\",\"messages\":[]}") },
    };

    [Theory]
    [MemberData(nameof(BrokenText))]
    public async Task Invalid_utf8_and_lone_surrogates_are_400(string what, byte[] body)
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var http = fleet.Client();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        var response = await http.PostAsync("/v1/chat/completions", content);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
        await AuthTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(0, fleet["a1"].Served);
    }

    [Theory]
    [InlineData("a\nfake log line")]
    [InlineData("x\u0000")]
    [InlineData("LONG")]
    public async Task A_model_name_that_is_not_one_short_line_is_400(string model)
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        model = model == "LONG" ? new string('m', 300) : model;

        using var response = await fleet.ChatAsync(model: System.Text.Json.JsonEncodedText.Encode(model).ToString());

        await AuthTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_request");
        Assert.DoesNotContain("fake log line", string.Join("\n", fleet.Gateway.Logs.Lines));
    }

    [Fact]
    public async Task A_heartbeat_with_invalid_utf8_is_400()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var http = fleet.Gateway.Client(fleet["a1"].Credential);
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes("{\"node\":\"a1\u00FF\",\"pool\":\"cpu\",\"sequence\":9,\"state\":\"ready\",\"endpoint\":\"\\ud800\"}"));
        content.Headers.ContentType = new("application/json");

        var response = await http.PostAsync("/v1/agents/heartbeat", content);

        await AuthTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid_heartbeat");
    }

    [Fact]
    public async Task The_default_body_limit_is_in_proportion_to_a_context_and_413_names_it()
    {
        Assert.InRange(new GatewayOptions().MaxRequestBodyBytes, 64 * 1024, 512 * 1024);
        await using var fleet = await TestFleet.StartAsync([4]);
        var limit = fleet.Gateway.Options.MaxRequestBodyBytes;

        using var fits = await fleet.ChatAsync(content: new string('x', limit - 200));
        using var tooLarge = await fleet.ChatAsync(content: new string('x', limit + 1));

        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var error = JsonNode.Parse(await tooLarge.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(("request_too_large", "invalid_request_error"), (error["code"]!.GetValue<string>(), error["type"]!.GetValue<string>()));
        var message = error["message"]!.GetValue<string>();
        Assert.Contains($"limit of {limit} bytes (FLEET_MAX_REQUEST_BODY_BYTES)", message);
        Assert.Equal(1, fleet["a1"].Served);
    }

    [Theory]
    [InlineData("GET", "/v1/nope", HttpStatusCode.NotFound, "unknown_url")]
    [InlineData("POST", "/", HttpStatusCode.NotFound, "unknown_url")]
    [InlineData("GET", "/v1/chat/completions", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    [InlineData("GET", "/v1/embeddings", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    [InlineData("DELETE", "/v1/models", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    [InlineData("GET", "/v1/agents/heartbeat", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    [InlineData("PUT", "/admin/v1/load", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    public async Task Unknown_routes_and_wrong_methods_answer_in_the_OpenAI_shape(string method, string path, HttpStatusCode status, string code)
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var http = fleet.Client();

        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path + "?api_key=sk-in-the-query"));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal((code, "invalid_request_error"), (error["code"]!.GetValue<string>(), error["type"]!.GetValue<string>()));
        var message = error["message"]!.GetValue<string>();
        Assert.Contains($"{method} {path}", message);
        Assert.DoesNotContain("sk-in-the-query", message);
        if (status == HttpStatusCode.NotFound) Assert.Contains("/v1/embeddings", message);
    }

    [Fact]
    public async Task Error_messages_are_readable_json_text()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var admin = fleet.Gateway.Admin();

        var text = await (await admin.GetAsync("/admin/v1/nodes/o'brien<x>")).Content.ReadAsStringAsync();

        Assert.Contains("No node named 'o'brien<x>'", text);
    }

    [Fact]
    public async Task A_nodes_own_empty_404_is_passed_through_unchanged()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        fleet["a1"].AnswerStatus = 404;

        using var response = await fleet.ChatAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    private static byte[] Body(string fields) =>
        Encoding.Latin1.GetBytes("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\"," + fields + "}]}");
}
