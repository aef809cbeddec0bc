using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Fleet.Gateway.Tests;

public sealed class CompletionsTests
{
    private static OpenAIClientOptions Options(TestFleet fleet) => new() { Endpoint = new Uri(fleet.Gateway.Address, "/v1") };

    [Fact]
    public async Task OpenAi_client_gets_a_chat_completion_through_the_gateway()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var client = new ChatClient("tiny", new ApiKeyCredential(fleet.Key.Secret), Options(fleet));

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("hello from a1", completion.Content[0].Text);
        Assert.Equal(8, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task OpenAi_client_streams_a_chat_completion_through_the_gateway()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var client = new ChatClient("tiny", new ApiKeyCredential(fleet.Key.Secret), Options(fleet));

        var text = new StringBuilder();
        var updates = 0;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            updates++;
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
        }

        Assert.Equal("hello from a1", text.ToString());
        Assert.True(updates >= 3, $"{updates} updates");
    }

    [Fact]
    public async Task Stream_reaches_the_client_while_the_node_is_still_generating()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var hold = fleet["a1"].Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = fleet.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestFleet.ChatBody(stream: true) };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));

        // The node has sent one chunk and is blocked: the gateway must not have waited for the rest.
        Assert.False(hold.Task.IsCompleted);
        Assert.Contains("\"content\":\"hello\"", first);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        hold.SetResult();
        var rest = await reader.ReadToEndAsync();
        Assert.EndsWith("data: [DONE]\n\n", rest);
    }

    [Fact]
    public async Task Legacy_completions_are_forwarded()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var http = fleet.Client();

        var response = await http.PostAsync("/v1/completions", new StringContent("""{"model":"tiny","prompt":"hi"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonNode>();
        Assert.Equal("hello from a1", json!["choices"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Models_are_the_union_of_ready_nodes_models()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4, 4]);
        fleet["a2"].Model = "org/big";
        fleet["a3"].Model = "loading-model";
        fleet["a3"].State = "loading";
        await fleet.BeatAsync();
        var client = new OpenAIModelClient(new ApiKeyCredential(fleet.Key.Secret), Options(fleet));

        OpenAIModelCollection models = await client.GetModelsAsync();

        Assert.Equal(["org/big", "tiny"], models.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal("org/big", (await client.GetModelAsync("org/big")).Value.Id); // ids may contain slashes
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("loading-model"));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task The_api_key_is_not_forwarded_to_the_node()
    {
        await using var fleet = await TestFleet.StartAsync([4]);

        using var response = await fleet.ChatAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", Assert.Single(fleet["a1"].AuthorizationHeaders));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Oversized_bodies_are_413_whether_or_not_their_length_is_announced(bool announced)
    {
        await using var fleet = await TestFleet.StartAsync([4], configure: o => o with { MaxRequestBodyBytes = 2048 });
        using var http = fleet.Client();
        var json = Encoding.UTF8.GetBytes($$"""{"model":"tiny","messages":[{"role":"user","content":"{{new string('x', 4096)}}"}]}""");
        HttpContent content = announced ? new ByteArrayContent(json) : new StreamContent(new MemoryStream(json));
        content.Headers.ContentType = new("application/json");
        if (!announced) content.Headers.ContentLength = null;

        var response = await http.PostAsync("/v1/chat/completions", content);

        await AuthTests.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        Assert.Equal(0, fleet["a1"].Served);
    }

    [Fact]
    public async Task Unknown_model_is_404_in_the_OpenAI_shape()
    {
        await using var fleet = await TestFleet.StartAsync([4]);

        using var response = await fleet.ChatAsync(model: "nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonNode>();
        Assert.Equal("model_not_found", json!["error"]!["code"]!.GetValue<string>());
    }
}
