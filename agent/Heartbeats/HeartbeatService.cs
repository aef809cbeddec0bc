using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fleet.Agent.Configuration;
using Fleet.Agent.Gpu;
using Fleet.Agent.Hosting;
using Fleet.Agent.Inference;
using Fleet.Agent.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Heartbeats;

/// <summary>
/// Tells the gateway how this node is doing (shared/DESIGN.md §5): every interval, sooner when draining starts,
/// with jittered backoff while the gateway does not answer, and a last <c>draining</c> beat on shutdown. Obeys
/// <c>drain: true</c> in the reply. Without FLEET_GATEWAY_URL it does nothing (standalone). The credential goes
/// only into the Authorization header, never into a log line.
/// </summary>
public sealed partial class HeartbeatService(
    AgentOptions options,
    NodeCredential credential,
    LlamaEngine engine,
    AgentMetrics metrics,
    DrainState drain,
    NvmlProbe nvml,
    IServer server,
    HeartbeatBackoff backoff,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    private static readonly string Version = typeof(HeartbeatService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;

    /// <summary>This process's identity in heartbeats: random, drawn once at start.</summary>
    public static readonly string InstanceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private TimeSpan _interval = options.HeartbeatInterval;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (options.GatewayUrl is null)
        {
            LogStandalone(logger);
            return;
        }

        drain.Started += _ => _wake.TrySetResult();
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            // A fresh wake-up before each beat: draining that starts during the beat is not missed.
            var wake = _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var sentDraining = drain.IsDraining;
            var ok = await BeatAsync(ct);
            failures = ok ? 0 : failures + 1;
            var delay = ok ? _interval : backoff.Next(failures);
            if (ok && drain.IsDraining && !sentDraining) continue;
            try
            {
                await Task.WhenAny(Task.Delay(delay, time, ct), wake.Task).WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (options.GatewayUrl is null) return;
        drain.Begin(DrainState.Shutdown);
        // The last beat reports the node empty: send it only after in-flight work is done (or the drain timed out),
        // whichever order the host stops its services in.
        await engine.WaitIdleAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await BeatAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            LogFinalBeatTimedOut(logger); // a gateway that does not answer must not turn a clean exit into a failed one
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    /// <summary>Builds the current heartbeat (public for tests and the final beat).</summary>
    public HeartbeatPayload Snapshot()
    {
        var state = drain.IsDraining || engine.State is EngineState.Failed or EngineState.Stopped ? "draining"
            : engine.State == EngineState.Ready ? "ready" : "loading";
        var model = engine.Model;
        return new HeartbeatPayload(
            options.NodeName,
            options.Pool,
            Version,
            Interlocked.Increment(ref _sequence),
            state,
            Endpoint(),
            new HeartbeatModel(model?.Id ?? options.ModelId, model?.Sha256 ?? options.ModelSha256, engine.State == EngineState.Ready),
            engine.Backend?.Name ?? "unknown",
            nvml.Read(),
            new HeartbeatSlots(engine.Admission.Slots, engine.Admission.Busy),
            new HeartbeatQueue(engine.Admission.QueueDepth),
            Math.Round(metrics.Throughput.TokensPerSecond(), 2),
            Math.Round(metrics.TtftWindow.Percentile(95) ?? 0, 2),
            InstanceId);
    }

    private async Task<bool> BeatAsync(CancellationToken ct)
    {
        var payload = Snapshot();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.GatewayUrl!, "v1/agents/heartbeat"))
            {
                Content = JsonContent.Create(payload, HeartbeatJsonContext.Default.HeartbeatPayload),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Token);
            using var response = await _http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                LogRejected(logger, payload.Sequence, (int)response.StatusCode);
                return false;
            }

            var reply = await response.Content.ReadFromJsonAsync(HeartbeatJsonContext.Default.HeartbeatReply, ct);
            if (reply?.IntervalSeconds is > 0 and <= 3600 and var seconds) _interval = TimeSpan.FromSeconds(seconds);
            if (reply?.Drain == true && drain.Begin(GatewayDrain)) LogDrainRequested(logger);
            else if (reply?.Drain == false && drain.End(GatewayDrain)) LogUndrained(logger);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            LogUnreachable(logger, payload.Sequence, e.GetType().Name, e.Message);
            return false;
        }
    }

    private string Endpoint()
    {
        if (options.AdvertiseUrl is { } advertised) return advertised.ToString().TrimEnd('/');
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://0.0.0.0:8080";
        var uri = new Uri(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? AddressIn(options.AdvertiseCidr) ?? Environment.MachineName : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the final draining heartbeat got no answer within 5 s")]
    private static partial void LogFinalBeatTimedOut(ILogger logger);

    /// <summary>This host's address inside the range (the node's private address on the fleet network), or null.</summary>
    internal static string? AddressIn(System.Net.IPNetwork? range)
    {
        if (range is not { } network) return null;
        var address = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus is System.Net.NetworkInformation.OperationalStatus.Up or System.Net.NetworkInformation.OperationalStatus.Unknown)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .Where(network.Contains).OrderBy(a => a.ToString(), StringComparer.Ordinal).FirstOrDefault();
        return address is null ? null : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    private const string GatewayDrain = "gateway";

    [LoggerMessage(Level = LogLevel.Information, Message = "the gateway no longer asks this node to drain: taking new work again")]
    private static partial void LogUndrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "FLEET_GATEWAY_URL is not set: running standalone, no heartbeats")]
    private static partial void LogStandalone(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "heartbeat {Sequence} refused by the gateway: HTTP {Status}")]
    private static partial void LogRejected(ILogger logger, long sequence, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "heartbeat {Sequence} failed ({Error}: {Message}); backing off")]
    private static partial void LogUnreachable(ILogger logger, long sequence, string error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the gateway asked this node to drain: no new requests, in-flight ones finish")]
    private static partial void LogDrainRequested(ILogger logger);
}
