using System.Text.Json;
using Fleet.Gateway.Admin;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Proxy;
using Fleet.Gateway.Registry;
using Prometheus;

namespace Fleet.Gateway.Hosting;

/// <summary><c>app.MapFleetGateway()</c>: the client API, heartbeats, admin API, health and metrics.</summary>
public static class GatewayEndpointExtensions
{
    /// <summary>Maps every gateway route with plain request delegates (no reflection: AOT-safe).</summary>
    public static WebApplication MapFleetGateway(this WebApplication app)
    {
        var sp = app.Services;
        app.Use(UnmatchedRequests.InvokeAsync);
        var completions = sp.GetRequiredService<CompletionsProxy>();
        var models = sp.GetRequiredService<ModelsEndpoint>();
        var heartbeat = sp.GetRequiredService<HeartbeatEndpoint>();
        app.MapPost("/v1/chat/completions", completions.HandleAsync);
        app.MapPost("/v1/completions", completions.HandleAsync);
        app.MapPost("/v1/embeddings", completions.HandleEmbeddingsAsync);
        app.MapGet("/v1/models", models.HandleAsync);
        // Catch-all: model ids such as org/model contain slashes.
        app.MapGet("/v1/models/{**model}", models.HandleOneAsync);
        app.MapPost("/v1/agents/heartbeat", heartbeat.HandleAsync);
        sp.GetRequiredService<AdminApi>().Map(app);
        MapHealth(app);
        return app;
    }

    private static void MapHealth(WebApplication app)
    {
        var sp = app.Services;
        var metrics = sp.GetRequiredService<GatewayMetrics>();
        var keys = sp.GetRequiredService<ApiKeyStore>();
        var nodes = sp.GetRequiredService<NodeCredentialStore>();
        var admin = sp.GetRequiredService<AdminTokenStore>();
        var issuers = sp.GetRequiredService<Jwt.JwtIssuerStore>();
        var registry = sp.GetRequiredService<NodeRegistry>();
        var time = sp.GetRequiredService<TimeProvider>();
        var options = sp.GetRequiredService<Configuration.GatewayOptions>();

        var limiter = sp.GetRequiredService<Limits.KeyLimiter>();
        metrics.Registry.AddBeforeCollectCallback(() => metrics.LimiterClients.Set(limiter.TrackedClients));

        app.MapGet("/health", c => c.Response.WriteAsync("ok\n"));
        app.MapGet("/ready", c =>
        {
            var readyNodes = registry.Nodes.Count(n => n.State(time, options) == NodeState.Ready);
            var jwt = !issuers.Enabled || issuers.Loaded;
            var status = new ReadyStatus(keys.Loaded && nodes.Loaded && admin.Loaded && jwt, keys.Loaded, nodes.Loaded, admin.Loaded, readyNodes, jwt);
            c.Response.StatusCode = status.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            c.Response.ContentType = "application/json";
            return JsonSerializer.SerializeAsync(c.Response.Body, status, GatewayJsonContext.Default.ReadyStatus, c.RequestAborted);
        });
        app.MapGet("/metrics", async c =>
        {
            c.Response.ContentType = PrometheusConstants.ExporterContentTypeValue.ToString();
            await metrics.Registry.CollectAndExportAsTextAsync(c.Response.Body, c.RequestAborted);
        });
    }
}
