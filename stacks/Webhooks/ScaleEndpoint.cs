using System.Text.Json;
using Fleet.Stacks.Hosting;
using Fleet.Stacks.Observability;
using Fleet.Stacks.Scaling;
using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Webhooks;

/// <summary>
/// <c>POST /v1/scale</c>: verify the Standard Webhooks signature, then hand the request to <see cref="PoolActions.Scale"/>
/// (the console's scale takes the same path): checks, clamp, the operation and the new desired size committed with the
/// delivery id for dedupe, the stack's writer woken; answer 202. Pulumi never runs here.
/// </summary>
public sealed class ScaleEndpoint(WebhookVerifier verifier, PoolActions actions, StacksMetrics metrics, ILogger<ScaleEndpoint> log)
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
        var outcome = actions.Scale(stack, poolName, nodes, "webhook", id);
        if (outcome.Accepted is not { } answer)
        {
            var refused = outcome.Refusal!;
            await RefuseAsync(context, refused.Status, refused.Error.Code, refused.Error.Message, refused.Status == 404 ? "unknown" : "invalid", refused.Error.Field);
            return;
        }
        metrics.Webhooks.WithLabels(answer.Duplicate ? "duplicate" : "accepted").Inc();
        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentType = "application/json";
        context.Response.Headers.Location = answer.Status;
        await JsonSerializer.SerializeAsync(context.Response.Body, answer, StacksJsonContext.Default.ScaleAccepted, context.RequestAborted);
    }

    private Task RefuseAsync(HttpContext context, int status, string code, string message, string metric, string? field = null)
    {
        metrics.Webhooks.WithLabels(metric).Inc();
        return StacksEndpoints.ErrorAsync(context, status, code, message, field);
    }
}
