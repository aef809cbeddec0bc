using System.Diagnostics;
using Fleet.Agent.Api;
using Fleet.Agent.Configuration;
using Fleet.Agent.Gpu;
using Fleet.Agent.Heartbeats;
using Fleet.Agent.Hosting;
using Fleet.Agent.Inference;
using Fleet.Agent.Models;
using Fleet.Agent.Native;
using Fleet.Agent.Telemetry;
using LLama.Native;

namespace Fleet.Agent;

/// <summary>Builds the agent's web application from <c>FLEET_*</c> settings. <c>Program</c> and the tests both use it.</summary>
public static partial class AgentApp
{
    public const string DefaultUrl = "http://0.0.0.0:8080";

    /// <summary>
    /// Reads and validates configuration (throws <see cref="AgentConfigurationException"/>) and wires the services.
    /// <paramref name="overrides"/> runs last, so tests can replace e.g. the <see cref="TimeProvider"/>.
    /// </summary>
    public static WebApplication Build(string[] args, Func<string, string?> env, Action<IServiceCollection>? overrides = null)
    {
        var options = AgentOptionsReader.Read(env);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.Logging.AddAgentLogging(options.LogFormat);

        var services = builder.Services;
        services.Configure<HostOptions>(h => h.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(10));
        services.AddSingleton(options);
        services.AddSingleton(AgentOptionsReader.ReadCredential(options));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<StartupFailure>();
        services.AddSingleton<DrainState>();
        services.AddSingleton(_ => new NvmlProbe());
        services.AddSingleton(_ => new HeartbeatBackoff(new Random()));
        services.AddSingleton(sp => new ModelDownloader(new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<ILogger<ModelDownloader>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ModelSource>();
        services.AddSingleton<LlamaEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<LlamaEngine>());
        services.AddSingleton<HeartbeatService>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatService>());
        services.AddSingleton<CompletionHandler>();
        overrides?.Invoke(services);

        var app = builder.Build();
        var drain = app.Services.GetRequiredService<DrainState>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Fleet.Agent");
        var nativeLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("llama.cpp");
        NativeLog.Listen((level, message) => ForwardNative(nativeLogger, level, message));
        app.Lifetime.ApplicationStarted.Register(() =>
            LogListening(logger, string.Join(", ", app.Urls), (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds));
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            if (drain.Begin(DrainState.Shutdown)) LogDraining(logger, options.DrainTimeout.TotalSeconds);
        });
        app.UseOpenAiStatusPages();
        app.MapAgentEndpoints();
        return app;
    }

    private static void ForwardNative(ILogger logger, LLamaLogLevel level, string message)
    {
        var text = message.TrimEnd();
        if (text.Length == 0) return;
        switch (level)
        {
            case LLamaLogLevel.Error:
                LogNativeError(logger, text);
                break;
            case LLamaLogLevel.Warning:
                LogNativeWarning(logger, text);
                break;
            default:
                LogNativeDebug(logger, text);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "listening on {Urls}, {SinceStartMs:F0} ms after process start (model loads in the background)")]
    private static partial void LogListening(ILogger logger, string urls, double sinceStartMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "draining: no new requests; in-flight ones get up to {Seconds} s")]
    private static partial void LogDraining(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Line}")]
    private static partial void LogNativeError(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Line}")]
    private static partial void LogNativeWarning(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Line}")]
    private static partial void LogNativeDebug(ILogger logger, string line);
}
