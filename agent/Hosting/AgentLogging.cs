using System.Text.Encodings.Web;
using Fleet.Agent.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace Fleet.Agent.Hosting;

/// <summary>
/// The agent's console log: one format chosen by FLEET_LOG_FORMAT, UTC timestamps, levels fixed in code. Post-
/// configuration runs after every configuration source, so an appsettings.json in whatever directory the agent
/// starts from (or Logging__* variables) cannot turn on per-request lines, which carry URLs and query strings.
/// </summary>
public static class AgentLogging
{
    private const string Timestamp = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static ILoggingBuilder AddAgentLogging(this ILoggingBuilder logging, LogFormat format)
    {
        logging.ClearProviders();
        logging.AddConsole();
        logging.AddJsonConsole();
        logging.AddSimpleConsole();
        var services = logging.Services;
        services.PostConfigure<ConsoleLoggerOptions>(o =>
            o.FormatterName = format == LogFormat.Json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple);
        services.PostConfigure<JsonConsoleFormatterOptions>(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = Timestamp;
            o.IncludeScopes = false;
            o.JsonWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }; // messages stay readable
        });
        services.PostConfigure<SimpleConsoleFormatterOptions>(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = Timestamp + " ";
            o.SingleLine = true;
            o.IncludeScopes = false;
        });
        services.PostConfigure<LoggerFilterOptions>(o =>
        {
            o.Rules.Clear();
            o.MinLevel = LogLevel.Information;
            // No per-request lines: they carry URLs (query strings may hold keys); the hot path stays lean.
            o.Rules.Add(new LoggerFilterRule(null, "Microsoft.AspNetCore", LogLevel.Warning, null));
            o.Rules.Add(new LoggerFilterRule(null, "System.Net.Http", LogLevel.Warning, null));
        });
        return logging;
    }
}
