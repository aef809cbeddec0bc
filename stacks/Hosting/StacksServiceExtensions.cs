using Fleet.Infra.PulumiCli;
using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Console;
using Fleet.Stacks.Gateway;
using Fleet.Stacks.Observability;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Pulumi;
using Fleet.Stacks.Scaling;
using Fleet.Stacks.Webhooks;

namespace Fleet.Stacks.Hosting;

/// <summary><c>builder.AddFleetStacks(options)</c>: every service of the control service, wired once.</summary>
public static class StacksServiceExtensions
{
    /// <param name="pulumi">The CLI seam; the real <see cref="ChildPulumiCommand"/> unless a test passes its own.</param>
    /// <param name="console">The operator console's settings; read from <c>FLEET_CONSOLE_</c> variables when null.</param>
    public static WebApplicationBuilder AddFleetStacks(this WebApplicationBuilder builder, StacksOptions options, PulumiCommand? pulumi = null, TimeProvider? time = null,
        ConsoleOptions? console = null)
    {
        var s = builder.Services;
        s.AddSingleton(options);
        s.AddSingleton(time ?? TimeProvider.System);
        // The default runs the real CLI with an allow-listed environment (no FLEET_ secrets) and records its children.
        s.AddSingleton<ChildLedger>();
        s.AddSingleton(sp => pulumi ?? new ChildPulumiCommand(new ChildEnvironment(options.PulumiEnvironment), sp.GetRequiredService<ChildLedger>()));
        s.AddSingleton<StacksMetrics>();
        s.AddSingleton(sp => new StacksDatabase(options.DatabasePath));
        s.AddSingleton<OperationStore>();
        s.AddSingleton<NodeLedger>();
        s.AddSingleton(new StackConfigLoader(options.ProjectDirectory, options.Project));
        s.AddSingleton(sp => new WebhookVerifier(options.WebhookSecrets, sp.GetRequiredService<TimeProvider>()));
        if (options.GatewayUrl is { } gatewayUrl)
        {
            s.AddHttpClient(nameof(GatewayAdminClient), c => c.Timeout = TimeSpan.FromSeconds(10));
            s.AddSingleton(sp => new GatewayAdminClient(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(GatewayAdminClient)), gatewayUrl, options.GatewayToken ?? ""));
        }
        s.AddSingleton<IReadOnlyDictionary<string, StackWorker>>(sp => options.Stacks.ToDictionary(stack => stack, stack => new StackWorker(
            stack, options, sp.GetRequiredService<OperationStore>(), sp.GetRequiredService<NodeLedger>(), sp.GetRequiredService<StackConfigLoader>(),
            new PulumiStack(sp.GetRequiredService<PulumiCommand>(), options.ProjectDirectory, options.Project, sp.GetRequiredService<TimeProvider>()),
            sp.GetService<GatewayAdminClient>(), sp.GetRequiredService<StacksMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger($"Fleet.Stacks.Worker.{stack}"),
            sp.GetRequiredService<ChildLedger>()), StringComparer.Ordinal));
        s.AddSingleton<StackCoordinator>();
        s.AddHostedService(sp => sp.GetRequiredService<StackCoordinator>());
        s.AddSingleton(sp => new FleetWatcher(options, sp.GetService<GatewayAdminClient>(),
            sp.GetRequiredService<StackConfigLoader>(), sp.GetRequiredService<OperationStore>(), sp.GetRequiredService<StackCoordinator>(),
            sp.GetRequiredService<StacksMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<FleetWatcher>>(),
            sp.GetRequiredService<NodeLedger>()));
        s.AddHostedService(sp => sp.GetRequiredService<FleetWatcher>());
        s.AddSingleton<PoolActions>();
        s.AddSingleton<ScaleEndpoint>();
        s.AddSingleton(console ?? ConsoleOptionsReader.FromEnvironment());
        s.AddSingleton<ConsoleToken>();
        s.AddSingleton<ConsoleGuard>();
        s.AddSingleton<ConsoleOperationLog>();
        s.AddSingleton<ConsoleScaleAction>();
        s.AddSingleton<ConsoleNodeActions>();
        s.AddSingleton(sp => new ThroughputHistory(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ConsoleOptions>().SampleInterval));
        s.AddSingleton(sp => new ThroughputSampler(sp.GetRequiredService<ThroughputHistory>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ThroughputSampler>>(), sp.GetService<GatewayAdminClient>()));
        s.AddHostedService(sp => sp.GetRequiredService<ThroughputSampler>());
        s.AddSingleton(sp => new ConsoleStateReader(sp.GetRequiredService<StackCoordinator>(), sp.GetRequiredService<StackConfigLoader>(),
            sp.GetRequiredService<OperationStore>(), sp.GetRequiredService<NodeLedger>(), sp.GetRequiredService<ConsoleOperationLog>(),
            sp.GetRequiredService<ConsoleToken>(), sp.GetRequiredService<TimeProvider>(), options, sp.GetRequiredService<ThroughputHistory>(),
            sp.GetService<GatewayAdminClient>()));
        return builder;
    }
}
