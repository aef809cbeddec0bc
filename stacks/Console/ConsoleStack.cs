using Fleet.Stacks.Hosting;

namespace Fleet.Stacks.Console;

/// <summary>One served stack in <see cref="ConsoleState"/>: its <see cref="StackView"/>, or why it cannot be read now.</summary>
/// <param name="Nodes">The nodes its managed pools list, with the names the gateway knows them by (what drain and replace take).</param>
/// <param name="AutoscalePaused">The pools whose autoscaler the console paused.</param>
public sealed record ConsoleStack(string Stack, StackView? View, string? Error, IReadOnlyList<ConsoleNode> Nodes, IReadOnlyList<string> AutoscalePaused);
