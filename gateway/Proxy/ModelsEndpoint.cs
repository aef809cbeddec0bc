using System.Text.Json;
using Fleet.Gateway.Routing;

namespace Fleet.Gateway.Proxy;

/// <summary>
/// <c>GET /v1/models</c> (and <c>/v1/models/{model}</c>): the models ready nodes serve and the configured ones (<c>FLEET_MODELS</c>,
/// served once a node is up), narrowed to the key's allow-list.
/// </summary>
public sealed class ModelsEndpoint(ApiKeyAuthenticator auth, NodeSelector selector)
{
    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var key = await auth.AuthenticateAsync(context);
        if (key is null) return;
        var models = selector.FleetModels().Where(key.Allows).Select(id => new ModelEntry(id, "model", 0, "fleet")).ToList();
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ModelList("list", models), GatewayJsonContext.Default.ModelList, context.RequestAborted);
    }

    /// <summary><c>GET /v1/models/{model}</c>: one model if a ready node serves it or it is configured, and the key may use it, else 404.</summary>
    public async Task HandleOneAsync(HttpContext context)
    {
        var key = await auth.AuthenticateAsync(context);
        if (key is null) return;
        // The official clients send org/model as org%2Fmodel, which routing leaves encoded; a catch-all route takes the raw form.
        var id = Uri.UnescapeDataString((string)context.Request.RouteValues["model"]!);
        if (!key.Allows(id) || !selector.FleetModels().Contains(id, StringComparer.Ordinal))
        {
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found",
                $"The model '{id}' does not exist or you do not have access to it.");
            return;
        }
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ModelEntry(id, "model", 0, "fleet"), GatewayJsonContext.Default.ModelEntry, context.RequestAborted);
    }
}
