using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fleet.Stacks.Hosting;

/// <summary>
/// The service's logging, set in code: one console provider (the built-in JSON formatter, or single-line text) with UTC
/// timestamps, and fixed levels — ASP.NET's per-request lines (which would carry query strings) and HttpClient's
/// (which carry gateway URLs) stay at Warning whatever an <c>appsettings.json</c> in the working directory says.
/// </summary>
public static class StacksLogging
{
    public const string Json = "json";
    public const string Text = "text";
    private const string Timestamp = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";

    public static WebApplicationBuilder UseFleetLogging(this WebApplicationBuilder builder, string format)
    {
        // Settings come from FLEET_ variables only: no appsettings.json, no Logging__ overrides from elsewhere.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(); // the one source the host writes its own settings (urls) to
        var logging = builder.Logging;
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging.AddFilter("System", LogLevel.Warning);
        if (format == Text)
            logging.AddSimpleConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = Timestamp; o.SingleLine = true; o.IncludeScopes = false; });
        else
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = Timestamp.TrimEnd();
                o.IncludeScopes = false;
                o.JsonWriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        return builder;
    }
}
