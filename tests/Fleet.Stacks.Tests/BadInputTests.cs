using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>Issue 12: malformed bodies, unknown routes and wrong methods answer JSON naming the field; never a stack trace.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly TestProject _project = new();
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(TestService.DefaultOptions(_project));

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _project.Dispose();
    }

    private Task<HttpResponseMessage> PostSigned(byte[] body) =>
        _service.PostSignedAsync(body, $"msg_{Guid.NewGuid():N}", DateTimeOffset.UtcNow, TestService.Secret);

    private static async Task<JsonObject> Error(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Theory]
    [InlineData("""{"stack":"prod","pool":"burst"}""", "nodes", "nodes is required")]
    [InlineData("""{"stack":"prod","pool":"burst","nodes":-1}""", "nodes", "whole number from 0")]
    [InlineData("""{"stack":"prod","pool":"burst","nodes":"3"}""", "nodes", "got \"3\"")]
    [InlineData("""{"stack":"prod","pool":"burst","nodes":2.5}""", "nodes", "got 2.5")]
    [InlineData("""{"stack":"prod","pool":"burst","nodes":99999999999}""", "nodes", "whole number")]
    [InlineData("""{"stack":"prod","pool":"burst","nodes":3,"nodez":4}""", "nodez", "unknown field nodez")]
    [InlineData("""{"stack":"prod","pool":"burst","nodes":3,"nodes":6}""", "nodes", "more than once")]
    [InlineData("""{"stack":7,"pool":"burst","nodes":3}""", "stack", "stack must be a string")]
    [InlineData("""{"stack":"","pool":"burst","nodes":3}""", "stack", "1-100 letters")]
    [InlineData("""{"stack":"prod","pool":"\ud800","nodes":3}""", "pool", "not valid text")]
    [InlineData("""{"stack":"prod","pool":"../etc","nodes":3}""", "pool", "1-100 letters")]
    [InlineData("""[1,2]""", "body", "must be a JSON object, not an array")]
    [InlineData("""not json""", "body", "not valid JSON")]
    [InlineData("""{"stack":"prod","pool":"burst","nodes":3""", "body", "not valid JSON")]
    [InlineData("""{"stack":"prod","pool":"burst","nodes":3} trailing""", "body", "not valid JSON")]
    public async Task A_malformed_body_is_refused_naming_the_field(string json, string field, string message)
    {
        var error = await Error(await PostSigned(Encoding.UTF8.GetBytes(json)), HttpStatusCode.BadRequest);
        Assert.Equal("invalid_body", error["code"]!.GetValue<string>());
        Assert.Equal(field, error["field"]!.GetValue<string>());
        Assert.Contains(message, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400_not_a_500()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("""{"stack":"prod","pool":"b"""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\",\"nodes\":3}")];
        var error = await Error(await PostSigned(body), HttpStatusCode.BadRequest);
        Assert.Equal("pool", error["field"]!.GetValue<string>());
        Assert.Contains("not valid text", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_routes_answer_json_listing_the_routes()
    {
        var error = await Error(await _service.Client.GetAsync("/v1/nope?x=1"), HttpStatusCode.NotFound);
        Assert.Equal("unknown_route", error["code"]!.GetValue<string>());
        Assert.Contains("POST /v1/scale", error["message"]!.GetValue<string>());
        Assert.Contains("GET /console, GET /console/api/state, POST /console/api/scale", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Wrong_methods_answer_json_naming_the_allowed_one()
    {
        var error = await Error(await _service.Client.GetAsync("/v1/scale"), HttpStatusCode.MethodNotAllowed);
        Assert.Equal("method_not_allowed", error["code"]!.GetValue<string>());
        Assert.Contains("GET is not allowed on /v1/scale; use POST", error["message"]!.GetValue<string>());
        error = await Error(await _service.Client.DeleteAsync("/v1/operations/op_x"), HttpStatusCode.MethodNotAllowed);
        Assert.Contains("use GET", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_operations_and_stacks_answer_json()
    {
        Assert.Equal("unknown_operation", (await Error(await _service.Client.GetAsync("/v1/operations/op_missing"), HttpStatusCode.NotFound))["code"]!.GetValue<string>());
        Assert.Equal("unknown_stack", (await Error(await _service.Client.GetAsync("/v1/stacks/staging"), HttpStatusCode.NotFound))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_well_formed_request_still_scales()
    {
        var response = await PostSigned(Encoding.UTF8.GetBytes("""{"stack":"prod","pool":"burst","nodes":3}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<JsonObject>())!["target"]!.GetValue<int>());
    }
}
