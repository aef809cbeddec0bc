using Fleet.Stacks.Hosting;

namespace Fleet.Stacks.Console;

/// <summary><c>GET /console/api/state</c>: everything the console page shows, from the service's existing views.</summary>
/// <param name="ActionsEnabled">False when no console token is configured: the page then offers no actions.</param>
/// <param name="Operations">The most recent operations, newest first, each with its run.</param>
/// <param name="Throughput">The fleet's requests and tokens per second over the last hour.</param>
public sealed record ConsoleState(DateTimeOffset At, bool ActionsEnabled, IReadOnlyList<ConsoleStack> Stacks, ConsoleGateway Gateway, IReadOnlyList<OperationView> Operations,
    ConsoleThroughput Throughput);
