using Fleet.Stacks.Hosting;

namespace Fleet.Stacks.Console;

/// <summary>One served stack in <see cref="ConsoleState"/>: its <see cref="StackView"/>, or why it cannot be read now.</summary>
public sealed record ConsoleStack(string Stack, StackView? View, string? Error);
