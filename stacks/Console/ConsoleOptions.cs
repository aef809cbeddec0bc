namespace Fleet.Stacks.Console;

/// <summary>The operator console's settings.</summary>
/// <param name="Token">
/// The console token every action must carry (from <c>FLEET_CONSOLE_TOKEN_FILE</c>); null when none is configured,
/// and then the console only shows the fleet and refuses every action.
/// </param>
/// <param name="SampleEvery">How often the throughput history samples the gateway; <see cref="DefaultSampleInterval"/> when null (tests pass less).</param>
public sealed record ConsoleOptions(string? Token, TimeSpan? SampleEvery = null)
{
    /// <summary>Ten seconds: 360 samples for the hour the console shows.</summary>
    public static readonly TimeSpan DefaultSampleInterval = TimeSpan.FromSeconds(10);

    public TimeSpan SampleInterval => SampleEvery ?? DefaultSampleInterval;

    /// <summary>Shortest accepted token, in characters: <c>openssl rand -base64 32</c> gives 44.</summary>
    public const int MinTokenLength = 32;

    public bool ActionsEnabled => Token is not null;

    /// <summary>Never print the token (records print every property by default).</summary>
    public override string ToString() => $"ConsoleOptions {{ ActionsEnabled = {ActionsEnabled}, SampleInterval = {SampleInterval} }}";
}
