using System.Text.Json;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Proxy;
using Microsoft.AspNetCore.Http.Features;

namespace Fleet.Gateway.Registry;

/// <summary>
/// <c>POST /v1/agents/heartbeat</c>: the credential names the node (the body cannot speak for another node or pool),
/// every reported number is checked (capacity clamped to what the stack gave), the node may only advertise its own
/// private address, a replayed or stale beat is refused, and nothing secret is logged.
/// </summary>
public sealed class HeartbeatEndpoint(
    NodeCredentialStore credentials, NodeRegistry registry, GatewayOptions options, GatewayMetrics metrics, ILogger<HeartbeatEndpoint> logger)
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>Handles one heartbeat.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var credential = credentials.Find(SecretHash.BearerToken(context.Request.Headers.Authorization));
        var (heartbeat, problem) = await ReadAsync(context);
        var remote = context.Connection.RemoteIpAddress;
        if (credential is null)
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "unknown_node_credential", "unknown or revoked node credential",
                "Unknown or revoked node credential.", heartbeat?.Node, remote);
            return;
        }
        problem ??= HeartbeatValidator.Check(heartbeat!);
        if (problem is not null)
        {
            metrics.Heartbeats.WithLabels("invalid").Inc();
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_heartbeat", problem.Message,
                param: problem.Field.Length == 0 ? null : problem.Field);
            return;
        }
        if (heartbeat!.Node != credential.Node || heartbeat.Pool != credential.Pool)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "node_mismatch",
                $"credential of node '{credential.Node}' (pool '{credential.Pool}') used to report as node '{heartbeat.Node}' (pool '{heartbeat.Pool}')",
                "A node may only report as itself, in its own pool.", heartbeat.Node, remote);
            return;
        }
        var endpoint = AdvertisedEndpoint.Check(heartbeat.Endpoint, remote, options);
        if (endpoint.Endpoint is null)
        {
            if (!endpoint.IsForbidden)
            {
                metrics.Heartbeats.WithLabels("invalid").Inc();
                await OpenAiErrors.WriteAsync(context, StatusCodes.Status400BadRequest, "invalid_request_error", "invalid_heartbeat", endpoint.Problem!, param: "endpoint");
                return;
            }
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "endpoint_not_allowed", $"node '{credential.Node}': {endpoint.Problem}",
                endpoint.Problem!, heartbeat.Node, remote, "endpoint");
            return;
        }

        var reply = registry.Accept(credential, HeartbeatValidator.Clamp(heartbeat, options) with { Endpoint = endpoint.Endpoint }, out var revoked);
        if (revoked)
        {
            // The nodes file was reloaded without this node while its heartbeat was being read.
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, "unknown_node_credential", "node credential revoked during the heartbeat",
                "Unknown or revoked node credential.", heartbeat.Node, remote);
            return;
        }
        if (reply is null)
        {
            await RefuseAsync(context, StatusCodes.Status409Conflict, "stale_heartbeat", $"node '{credential.Node}' sent sequence {heartbeat.Sequence} again or out of order",
                $"Sequence {heartbeat.Sequence} is not newer than the last heartbeat of '{credential.Node}'. A restarted agent is accepted once " +
                "the node has been silent past the suspect window, or at once when it reports a new \"instance\".", heartbeat.Node, remote, "sequence");
            return;
        }
        metrics.Heartbeats.WithLabels("accepted").Inc();
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, reply, GatewayJsonContext.Default.HeartbeatReply, context.RequestAborted);
    }

    private async Task RefuseAsync(HttpContext context, int status, string code, string reason, string message, string? claimed,
        System.Net.IPAddress? remote, string? param = null)
    {
        metrics.Heartbeats.WithLabels(status switch
        {
            StatusCodes.Status401Unauthorized => "unauthorized",
            StatusCodes.Status409Conflict => "stale",
            _ => "forbidden",
        }).Inc();
        GatewayLog.HeartbeatRefused(logger, reason, claimed, remote?.ToString());
        await OpenAiErrors.WriteAsync(context, status, "invalid_request_error", code, message, param: param);
    }

    private static async Task<(Heartbeat?, HeartbeatProblem?)> ReadAsync(HttpContext context)
    {
        var tooLarge = new HeartbeatProblem("", $"the heartbeat is larger than {MaxBodyBytes} bytes");
        if (context.Request.ContentLength > MaxBodyBytes) return (null, tooLarge);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxBodyBytes;
        try
        {
            var heartbeat = await JsonSerializer.DeserializeAsync(context.Request.Body, GatewayJsonContext.Default.Heartbeat, context.RequestAborted);
            return heartbeat is null ? (null, new HeartbeatProblem("", "the body is null; expected a heartbeat object (shared/DESIGN.md §5)")) : (heartbeat, null);
        }
        catch (JsonException e)
        {
            // The path names the field (e.g. $.slots.total); the exception's own message would leak .NET type names.
            var field = e.Path is null or "$" ? "" : e.Path.TrimStart('$', '.');
            return (null, new HeartbeatProblem(field, field.Length == 0
                ? "the body is not a heartbeat: expected a JSON object (shared/DESIGN.md §5)"
                : $"\"{field}\" has a value of the wrong type or out of range (shared/DESIGN.md §5)"));
        }
        catch (InvalidOperationException)
        {
            return (null, new HeartbeatProblem("", "the body is not valid UTF-8 JSON text (invalid UTF-8 or a lone surrogate escape)"));
        }
        catch (BadHttpRequestException e)
        {
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? tooLarge : new HeartbeatProblem("", "the body could not be read"));
        }
    }
}
