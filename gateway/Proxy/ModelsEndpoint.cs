using System.Text.Json;
using Fleet.Gateway.Routing;

namespace Fleet.Gateway.Proxy;

/// <summary><c>GET /v1/models</c>: the union of the models ready nodes serve, narrowed to the key's allow-list.</summary>
public sealed class ModelsEndpoint(ApiKeyAuthenticator auth, NodeSelector selector)
{
    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var key = await auth.AuthenticateAsync(context);
        if (key is null) return;
        var models = selector.ReadyModels().Where(key.Allows).Select(id => new ModelEntry(id, "model", 0, "fleet")).ToList();
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, new ModelList("list", models), GatewayJsonContext.Default.ModelList, context.RequestAborted);
    }
}
