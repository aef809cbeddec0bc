using System.Text.Json;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Proxy;
using Microsoft.AspNetCore.Http.Features;

namespace Fleet.Gateway.Registry;

/// <summary>
/// <c>POST /v1/agents/heartbeat</c>: the credential names the node (the body cannot speak for another node or pool),
/// an unknown or removed credential is refused, and nothing secret is logged.
/// </summary>
public sealed class HeartbeatEndpoint(NodeCredentialStore credentials, NodeRegistry registry, GatewayMetrics metrics, ILogger<HeartbeatEndpoint> logger)
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>Handles one heartbeat.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var credential = credentials.Find(SecretHash.BearerToken(context.Request.Headers.Authorization));
        var heartbeat = await ReadAsync(context);
        var remote = context.Connection.RemoteIpAddress?.ToString();
        if (credential is null)
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "unknown_node_credential", "unknown or revoked node credential", heartbeat?.Node, remote);
            return;
        }
        var problem = heartbeat is null ? "body is not a heartbeat (shared/DESIGN.md §5)" : Problem(heartbeat);
        if (heartbeat is null || problem is not null)
        {
            metrics.Heartbeats.WithLabels("invalid").Inc();
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_heartbeat", problem!);
            return;
        }
        if (heartbeat.Node != credential.Node || heartbeat.Pool != credential.Pool)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "node_mismatch",
                $"credential of node '{credential.Node}' (pool '{credential.Pool}') used to report as node '{heartbeat.Node}' (pool '{heartbeat.Pool}')", heartbeat.Node, remote);
            return;
        }

        var reply = registry.Accept(credential, heartbeat);
        metrics.Heartbeats.WithLabels("accepted").Inc();
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, reply, GatewayJsonContext.Default.HeartbeatReply, context.RequestAborted);
    }

    private async Task RefuseAsync(HttpContext context, int status, string code, string reason, string? claimed, string? remote)
    {
        metrics.Heartbeats.WithLabels(status == StatusCodes.Status401Unauthorized ? "unauthorized" : "forbidden").Inc();
        GatewayLog.HeartbeatRefused(logger, reason, claimed, remote);
        await OpenAiErrors.WriteAsync(context, status, "invalid_request_error", code,
            status == StatusCodes.Status401Unauthorized ? "Unknown or revoked node credential." : "A node may only report as itself, in its own pool.");
    }

    private static async Task<Heartbeat?> ReadAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes) return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxBodyBytes;
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, GatewayJsonContext.Default.Heartbeat, context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            return null;
        }
    }

    private static string? Problem(Heartbeat h)
    {
        if (string.IsNullOrEmpty(h.Node) || string.IsNullOrEmpty(h.Pool)) return "\"node\" and \"pool\" are required";
        if (h.State is not ("loading" or "ready" or "draining")) return $"\"state\" is '{h.State}'; expected loading, ready or draining";
        if (!Uri.TryCreate(h.Endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return $"\"endpoint\" is '{h.Endpoint}'; expected an absolute http(s) URL such as http://10.0.0.5:8081";
        if (h.Slots is { } s && (s.Total < 0 || s.Busy < 0)) return "\"slots\" must not be negative";
        if (h.State == "ready" && string.IsNullOrEmpty(h.Model?.Id)) return "a ready node must report model.id";
        return null;
    }
}
