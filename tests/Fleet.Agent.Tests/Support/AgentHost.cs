using Fleet.Agent.Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Tests.Support;

/// <summary>The real agent on 127.0.0.1 with an OS-chosen port, configured through a FLEET_* dictionary.</summary>
public sealed class AgentHost : IAsyncDisposable
{
    private AgentHost(WebApplication app, CapturingLoggerProvider logs)
    {
        App = app;
        Logs = logs;
        BaseAddress = new Uri(app.Urls.First() + "/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }
    public CapturingLoggerProvider Logs { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public LlamaEngine Engine => App.Services.GetRequiredService<LlamaEngine>();

    /// <summary>Starts the agent; with <paramref name="waitReady"/>, returns once the model serves (or failed).</summary>
    public static async Task<AgentHost> StartAsync(IDictionary<string, string> env, bool waitReady = true,
        Action<IServiceCollection>? overrides = null, params string[] args)
    {
        var logs = new CapturingLoggerProvider();
        var all = new Dictionary<string, string>(env);
        all.TryAdd("FLEET_THREADS", "2");
        var app = AgentApp.Build(["--urls", "http://127.0.0.1:0", .. args], k => all.GetValueOrDefault(k), services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            overrides?.Invoke(services);
        });
        await app.StartAsync();
        var host = new AgentHost(app, logs);
        if (waitReady) await host.WaitForStateAsync(s => s != EngineState.Loading);
        return host;
    }

    /// <summary>The usual configuration: the scripted model, with the given extra settings.</summary>
    public static Dictionary<string, string> Env(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["FLEET_MODEL_PATH"] = TestModels.Scripted,
            ["FLEET_CONTEXT_SIZE"] = "4096",
            ["FLEET_PARALLEL_SLOTS"] = "4",
        };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    public async Task WaitForStateAsync(Func<EngineState, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!done(Engine.State)) await Task.Delay(5, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(stop.Token);
        await App.DisposeAsync();
    }
}
