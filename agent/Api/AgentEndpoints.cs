using Fleet.Agent.Gpu;
using Fleet.Agent.Hosting;
using Fleet.Agent.Inference;
using Fleet.Agent.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Agent.Api;

/// <summary>Maps the agent's HTTP surface: OpenAI API, health, readiness and metrics.</summary>
public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var handler = app.ServiceProvider.GetRequiredService<CompletionHandler>();
        var engine = app.ServiceProvider.GetRequiredService<LlamaEngine>();
        var drain = app.ServiceProvider.GetRequiredService<DrainState>();
        var metrics = app.ServiceProvider.GetRequiredService<AgentMetrics>();
        var nvml = app.ServiceProvider.GetRequiredService<NvmlProbe>();
        var time = app.ServiceProvider.GetRequiredService<TimeProvider>();

        app.MapPost("/v1/chat/completions", (HttpContext http) => handler.ChatAsync(http));
        app.MapPost("/v1/completions", (HttpContext http) => handler.CompletionsAsync(http));
        app.MapPost("/v1/embeddings", (HttpContext http) => handler.EmbeddingsAsync(http));
        app.MapPost("/tokenize", (HttpContext http) => handler.TokenizeAsync(http));
        app.MapPost("/detokenize", (HttpContext http) => handler.DetokenizeAsync(http));
        app.MapGet("/v1/models", (HttpContext http) =>
        {
            var id = engine.Model?.Id;
            List<ModelDto> data = id is null ? [] : [new ModelDto(id, "model", time.GetUtcNow().ToUnixTimeSeconds(), "fleet")];
            return http.Response.WriteAsJsonAsync(new ModelListResponse("list", data), OpenAiJsonContext.Default.ModelListResponse);
        });
        app.MapGet("/health", (HttpContext http) => http.Response.WriteAsync("ok\n"));
        app.MapGet("/ready", (HttpContext http) =>
        {
            var ready = engine.State == EngineState.Ready && !drain.IsDraining;
            http.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return http.Response.WriteAsync(ready ? "ready\n" : drain.IsDraining ? "draining\n" : engine.State.ToString().ToLowerInvariant() + "\n");
        });
        app.MapGet("/metrics", (HttpContext http) =>
        {
            http.Response.ContentType = PrometheusText.ContentType;
            return http.Response.WriteAsync(PrometheusText.Render(metrics, engine, nvml.Read()));
        });
        return app;
    }
}
