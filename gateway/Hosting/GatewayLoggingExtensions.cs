using Fleet.Gateway.Configuration;
using Microsoft.Extensions.Logging.Console;

namespace Fleet.Gateway.Hosting;

/// <summary><c>builder.AddFleetLogging(options)</c>: console logs in the one configured format, timestamps in UTC.</summary>
public static class GatewayLoggingExtensions
{
    private const string UtcTimestamp = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    /// <summary>Replaces the default providers with one console logger: JSON lines (<c>FLEET_LOG_FORMAT=json</c>) or single-line text.</summary>
    public static WebApplicationBuilder AddFleetLogging(this WebApplicationBuilder builder, GatewayOptions options)
    {
        var logging = builder.Logging.ClearProviders();
        if (options.LogFormat == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = UtcTimestamp.TrimEnd();
                o.IncludeScopes = false;
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions
                {
                    Indented = false,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable ' " < + in messages
                };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = UtcTimestamp;
                o.SingleLine = true;
                o.IncludeScopes = false;
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
        return builder;
    }
}
