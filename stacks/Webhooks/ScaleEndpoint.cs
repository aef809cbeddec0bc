using System.Text.Json;
using Fleet.Infra.Configuration;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Observability;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Scaling;
using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Webhooks;

/// <summary>
/// <c>POST /v1/scale</c>: verify the Standard Webhooks signature, clamp the target to the pool's bounds, commit the
/// operation and the new desired size (with the delivery id, for dedupe), wake the stack's writer, answer 202.
/// Pulumi never runs here.
/// </summary>
public sealed class ScaleEndpoint(WebhookVerifier verifier, StackCoordinator coordinator, StackConfigLoader configs, OperationStore store,
    StacksMetrics metrics, ILogger<ScaleEndpoint> log)
{
    private const int MaxBody = 64 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBody) { await RefuseAsync(context, 413, "too_large", $"the body is over {MaxBody} bytes", "invalid"); return; }
        // Chunked bodies carry no length: make the server stop reading past the limit instead of buffering it all.
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBody;
        using var buffer = new MemoryStream();
        try { await request.Body.CopyToAsync(buffer, context.RequestAborted); }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseAsync(context, 413, "too_large", $"the body is over {MaxBody} bytes", "invalid");
            return;
        }
        if (buffer.Length > MaxBody) { await RefuseAsync(context, 413, "too_large", $"the body is over {MaxBody} bytes", "invalid"); return; }
        var body = buffer.ToArray();

        var id = request.Headers[WebhookVerifier.IdHeader].ToString();
        var verdict = verifier.Verify(id, request.Headers[WebhookVerifier.TimestampHeader], request.Headers[WebhookVerifier.SignatureHeader], body);
        if (verdict != WebhookVerdict.Valid)
        {
            Log.WebhookRefused(log, WebhookVerifier.Describe(verdict));
            await RefuseAsync(context, 401, "invalid_signature", WebhookVerifier.Describe(verdict), "unauthorized");
            return;
        }

        if (ScaleRequestReader.Read(body, out var bad) is not { Stack: { } stack, Pool: { } poolName, Nodes: { } nodes })
        {
            Log.WebhookRefused(log, bad.Message);
            await RefuseAsync(context, 400, "invalid_body", bad.Message, "invalid", bad.Field);
            return;
        }
        if (!coordinator.Serves(stack))
        {
            await RefuseAsync(context, 404, "unknown_stack", $"stack \"{stack}\" is not served by this instance; it serves: {string.Join(", ", coordinator.Stacks)} (FLEET_STACKS)", "unknown", "stack");
            return;
        }
        FleetConfig config;
        try { config = configs.Load(stack, lastGoodOnError: true); }
        catch (Exception e) when (e is InvalidOperationException or ConfigSourceException or IOException)
        {
            await RefuseAsync(context, 503, "stack_config_invalid", e.Message, "invalid");
            return;
        }
        var pool = config.Pools.FirstOrDefault(p => p.Name == poolName);
        if (pool is null)
        {
            await RefuseAsync(context, 404, "unknown_pool", $"stack {stack} has no pool \"{poolName}\"; its pools: {string.Join(", ", config.Pools.Select(p => p.Name))}", "unknown", "pool");
            return;
        }
        if (!pool.ListsNodes)
        {
            await RefuseAsync(context, 422, "pool_not_managed",
                $"pool {poolName} has a fixed count; to let the control service scale it, replace count with nodes: pulumi config set --path '{config.Project}:pools[{config.Pools.ToList().IndexOf(pool)}].nodes[0]' 1 (and remove count)", "invalid");
            return;
        }

        var target = Math.Clamp(nodes, pool.Min, pool.Max);
        var reason = target != nodes ? $"requested {nodes}, clamped to [{pool.Min}, {pool.Max}]" : null;
        var (op, duplicate) = store.AcceptScale(new ScaleIntent(stack, poolName, "webhook", nodes, target, reason), id);
        if (!duplicate)
        {
            coordinator.Wake(stack);
            metrics.DesiredNodes.WithLabels(stack, poolName).Set(target);
            Log.Accepted(log, op.Kind, op.Id, stack, poolName, target, nodes, "webhook");
        }
        metrics.Webhooks.WithLabels(duplicate ? "duplicate" : "accepted").Inc();
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        context.Response.Headers.Location = $"/v1/operations/{op.Id}";
        var answer = new ScaleAccepted(op.Id, op.Stack, op.Pool, op.Requested ?? nodes, op.Target ?? target, op.Target != op.Requested, pool.Min, pool.Max, duplicate, $"/v1/operations/{op.Id}");
        await JsonSerializer.SerializeAsync(context.Response.Body, answer, StacksJsonContext.Default.ScaleAccepted, context.RequestAborted);
    }

    private Task RefuseAsync(HttpContext context, int status, string code, string message, string metric, string? field = null)
    {
        metrics.Webhooks.WithLabels(metric).Inc();
        return StacksEndpoints.ErrorAsync(context, status, code, message, field);
    }
}
