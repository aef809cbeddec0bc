using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>A GGUF whose chat template llama.cpp's built-in set does not recognise.</summary>
public sealed class ChatTemplateTests
{
    [Fact]
    public async Task Unknown_chat_template_gets_an_OpenAI_error_and_completions_still_work()
    {
        var path = new ScriptedModel { Template = "{{ messages | custom_filter }} <<weird>>" }.WriteTo(TestModels.NewPath("odd-template.gguf"));
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", path)));

        using var chat = await agent.Http.PostAsJsonAsync("v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "hello" } }, temperature = 0 });
        var body = await chat.Content.ReadAsStringAsync();
        Assert.True(chat.StatusCode == HttpStatusCode.InternalServerError, body);
        using (var error = JsonDocument.Parse(body))
            Assert.Equal("chat_template_unsupported", error.RootElement.GetProperty("error").GetProperty("code").GetString());

        using var completion = await agent.Http.PostAsJsonAsync("v1/completions", new { prompt = "hello", temperature = 0 });
        Assert.Equal(HttpStatusCode.OK, completion.StatusCode);
    }
}
