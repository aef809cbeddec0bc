using Fleet.Gateway.Admin;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Jwt;
using Fleet.Gateway.Limits;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Proxy;
using Fleet.Gateway.Registry;
using Fleet.Gateway.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fleet.Gateway.Hosting;

/// <summary><c>builder.AddFleetGateway(options)</c>: registers every gateway service.</summary>
public static class GatewayServiceExtensions
{
    /// <summary>Registers the gateway's services. A <see cref="TimeProvider"/> registered before this call wins (tests).</summary>
    public static WebApplicationBuilder AddFleetGateway(this WebApplicationBuilder builder, GatewayOptions options)
    {
        var services = builder.Services;
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<NodeCredentialStore>();
        services.AddSingleton<AdminTokenStore>();
        services.AddSingleton<JwtIssuerStore>();
        services.AddSingleton<JwtAuthenticator>();
        services.AddSingleton<KeyLimiter>();
        services.AddSingleton<NodeRegistry>();
        services.AddSingleton<NodeSelector>();
        services.AddSingleton<CapacityGate>();
        services.AddSingleton<UpstreamClient>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<CompletionsProxy>();
        services.AddSingleton<ModelsEndpoint>();
        services.AddSingleton<HeartbeatEndpoint>();
        services.AddSingleton<AdminApi>();
        services.AddSingleton<CredentialReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<CredentialReloader>());
        services.AddSingleton<RegistrySweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistrySweeper>());
        services.AddHttpForwarder();
        services.AddSingleton<Microsoft.Extensions.Options.IPostConfigureOptions<LoggerFilterOptions>, LogLevelRules>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // No route takes a body larger than a prompt (heartbeats lower it further for themselves).
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });
        return builder;
    }
}
