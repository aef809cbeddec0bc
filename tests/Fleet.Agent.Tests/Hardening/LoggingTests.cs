using System.Net.Http.Json;
using Fleet.Agent.Configuration;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Hardening;

/// <summary>
/// Log levels and format are set in code: an appsettings.json wherever the agent starts cannot turn on per-request
/// lines (URLs with query strings) or change the format; prompts never reach the log.
/// </summary>
public sealed class LoggingTests
{
    private const string Settings = """
        {
          "Logging": {
            "LogLevel": { "Default": "Trace", "Microsoft.AspNetCore.Hosting.Diagnostics": "Trace" },
            "Console": { "FormatterName": "simple", "LogLevel": { "Microsoft.AspNetCore": "Trace" } }
          }
        }
        """;

    [Fact]
    public async Task An_appsettings_file_in_the_content_root_cannot_turn_on_request_logs()
    {
        var root = Directory.CreateDirectory(TestModels.NewPath("content-root")).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "appsettings.json"), Settings);
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(), args: ["--contentRoot", root]);

        await agent.Http.GetAsync("v1/models?api_key=sk-query-secret-123");
        using var chat = await agent.Http.PostAsJsonAsync("v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "my prompt says swordfish-42" } }, max_tokens = 2 });
        using var text = await agent.Http.PostAsJsonAsync("v1/completions", new { prompt = "swordfish-43 one two", max_tokens = 2 });

        var logs = agent.Logs.All;
        Assert.DoesNotContain("sk-query-secret-123", logs);
        Assert.DoesNotContain("Request starting", logs);
        Assert.DoesNotContain("swordfish", logs);
    }

    [Theory]
    [InlineData(null, LogFormat.Json)]
    [InlineData("json", LogFormat.Json)]
    [InlineData("TEXT", LogFormat.Text)]
    public void Log_format_is_one_setting_defaulting_to_json(string? value, LogFormat expected)
    {
        var env = new Dictionary<string, string?> { ["FLEET_MODEL_PATH"] = TestModels.Scripted, ["FLEET_LOG_FORMAT"] = value };
        Assert.Equal(expected, AgentOptionsReader.Read(k => env.GetValueOrDefault(k)).LogFormat);
    }

    [Fact]
    public void An_unknown_log_format_is_refused_naming_the_fix()
    {
        var env = new Dictionary<string, string?> { ["FLEET_MODEL_PATH"] = TestModels.Scripted, ["FLEET_LOG_FORMAT"] = "xml" };
        var e = Assert.Throws<AgentConfigurationException>(() => AgentOptionsReader.Read(k => env.GetValueOrDefault(k)));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(("FLEET_LOG_FORMAT", "xml"), (d.Key, d.Value));
        Assert.Contains("FLEET_LOG_FORMAT=json", d.Fix);
    }
}
