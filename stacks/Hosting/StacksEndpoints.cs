using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fleet.Stacks.Console;
using Fleet.Stacks.Observability;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Scaling;
using Fleet.Stacks.Webhooks;
using Prometheus;

namespace Fleet.Stacks.Hosting;

/// <summary><c>app.MapFleetStacks()</c>: the webhook, operation and stack reads, health, metrics and the operator console.</summary>
public static class StacksEndpoints
{
    public static WebApplication MapFleetStacks(this WebApplication app)
    {
        var sp = app.Services;
        var store = sp.GetRequiredService<OperationStore>();
        var ledger = sp.GetRequiredService<NodeLedger>();
        var configs = sp.GetRequiredService<StackConfigLoader>();
        var coordinator = sp.GetRequiredService<StackCoordinator>();
        var metrics = sp.GetRequiredService<StacksMetrics>();
        var db = sp.GetRequiredService<StacksDatabase>();
        app.UseJsonErrors();

        app.MapPost("/v1/scale", sp.GetRequiredService<ScaleEndpoint>().HandleAsync);
        app.MapGet("/v1/operations/{id}", async c =>
        {
            if (await PrivateReaders.RefuseAsync(c)) return;
            var op = store.Get((string)c.Request.RouteValues["id"]!);
            await (op is null
                ? ErrorAsync(c, 404, "unknown_operation", "no operation with that id")
                : WriteAsync(c, 200, new OperationView(op, op.RunId is null ? null : store.GetRun(op.RunId)), StacksJsonContext.Default.OperationView));
        });
        app.MapGet("/v1/stacks/{stack}", async c =>
        {
            if (await PrivateReaders.RefuseAsync(c)) return;
            var stack = (string)c.Request.RouteValues["stack"]!;
            if (!coordinator.Serves(stack)) { await ErrorAsync(c, 404, "unknown_stack", $"stack \"{stack}\" is not served here; it serves: {string.Join(", ", coordinator.Stacks)}"); return; }
            try
            {
                await WriteAsync(c, 200, StackViewOf(stack, configs, store, ledger), StacksJsonContext.Default.StackView);
            }
            catch (Exception e) when (e is InvalidOperationException or Fleet.Infra.Configuration.ConfigSourceException)
            {
                await ErrorAsync(c, 503, "stack_config_invalid", e.Message);
            }
        });
        app.MapGet("/health", c =>
        {
            string database;
            try { db.Ping(); database = "ok"; }
            catch (Microsoft.Data.Sqlite.SqliteException e) { database = e.Message; }
            var health = new HealthView(database == "ok" ? "ok" : "degraded", coordinator.Stacks.ToArray(), database);
            return WriteAsync(c, database == "ok" ? 200 : 503, health, StacksJsonContext.Default.HealthView);
        });
        app.MapGet("/metrics", async c =>
        {
            if (await PrivateReaders.RefuseAsync(c)) return;
            c.Response.ContentType = PrometheusConstants.ExporterContentTypeValue.ToString();
            await metrics.Registry.CollectAndExportAsTextAsync(c.Response.Body, c.RequestAborted);
        });
        app.MapFleetConsole();
        return app;
    }

    internal static StackView StackViewOf(string stack, StackConfigLoader configs, OperationStore store, NodeLedger ledger)
    {
        var config = configs.Load(stack, lastGoodOnError: true);
        var desired = store.Desired(stack);
        var deployed = ledger.Deployed(stack);
        var pools = config.Pools.Select(p => new PoolView(p.Name, p.ListsNodes, p.Autoscale, p.Min, p.Max,
            desired.TryGetValue(p.Name, out var d) ? d : null, p.NodeIds,
            deployed?[p.Name]?["nodes"]?.AsArray().Select(n => n?.ToString() ?? "").ToArray())).ToArray();
        return new StackView(stack, pools, store.PendingCount(stack), store.LastRun(stack), ledger.Owed(stack));
    }

    internal static Task ErrorAsync(HttpContext c, int status, string code, string message, string? field = null) =>
        WriteAsync(c, status, new ApiError(code, message, field), StacksJsonContext.Default.ApiError);

    private static Task WriteAsync<T>(HttpContext c, int status, T value, JsonTypeInfo<T> type)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(c.Response.Body, value, type, c.RequestAborted);
    }
}
