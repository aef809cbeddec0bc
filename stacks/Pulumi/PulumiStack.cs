using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Fleet.Infra.PulumiCli;

namespace Fleet.Stacks.Pulumi;

/// <summary>
/// The few stack operations the control service needs, as the Automation API's <c>WorkspaceStack</c> runs them:
/// exact argv, <c>--stack</c> on every stack-scoped command, <c>--event-log</c> with <c>PULUMI_DEBUG_COMMANDS=true</c>.
/// Every non-zero exit becomes a typed exception in <see cref="PulumiCommandException.FromResult"/>.
/// </summary>
public sealed class PulumiStack(PulumiCommand pulumi, string workingDirectory, string project, TimeProvider time)
{
    /// <summary>Called with every argv before it runs (the operation record keeps them).</summary>
    public event Action<IReadOnlyList<string>>? Running;

    /// <summary>How often the event log is read while <c>up</c> runs.</summary>
    public TimeSpan EventLogPoll { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary><c>pulumi config rm --stack S --path fleet:pools[i].nodes[k]</c>.</summary>
    public static IReadOnlyList<string> RemoveNodeArgs(string project, string stack, int pool, int element) =>
        ["config", "rm", "--stack", stack, "--path", $"{project}:pools[{Num(pool)}].nodes[{Num(element)}]"];

    /// <summary><c>pulumi config set-all --stack S --path --plaintext fleet:pools[i].nodes[n]=id ...</c>, appending from <paramref name="start"/>.</summary>
    public static IReadOnlyList<string> AppendNodesArgs(string project, string stack, int pool, int start, IReadOnlyList<string> ids)
    {
        var args = new List<string> { "config", "set-all", "--stack", stack, "--path" };
        for (var k = 0; k < ids.Count; k++)
        {
            args.Add("--plaintext");
            args.Add($"{project}:pools[{Num(pool)}].nodes[{Num(start + k)}]={ids[k]}");
        }
        return args;
    }

    /// <summary><c>pulumi up --yes --skip-preview --stack S --event-log FILE</c>.</summary>
    public static IReadOnlyList<string> UpArgs(string stack, string eventLog) =>
        ["up", "--yes", "--skip-preview", "--stack", stack, "--event-log", eventLog];

    /// <summary>
    /// <c>pulumi preview --json --stack S</c>: prints one <see cref="PreviewDigest"/> (pulumi/pulumi v3.259.0
    /// <c>pkg/cmd/pulumi/operations/preview.go</c>, flag <c>--json</c>; <c>ShowPreviewDigest</c> in
    /// <c>pkg/backend/display/json.go</c>). Replacement sub-steps stay folded into their logical <c>replace</c>
    /// (no <c>--show-replacement-steps</c>) and <c>same</c> steps are left out (no <c>--show-sames</c>).
    /// </summary>
    public static IReadOnlyList<string> PreviewArgs(string stack) => ["preview", "--json", "--stack", stack];

    /// <summary><c>pulumi cancel --yes --stack S</c>: ends the stack's update in progress and releases its lock.</summary>
    public static IReadOnlyList<string> CancelArgs(string stack) => ["cancel", "--yes", "--stack", stack];

    public static IReadOnlyList<string> PoolsOutputArgs(string stack) => ["stack", "output", "pools", "--json", "--stack", stack];

    /// <summary>Removes element <paramref name="element"/> of pool <paramref name="pool"/>'s node list in the stack file.</summary>
    public Task RemoveNodeAsync(string stack, int pool, int element, CancellationToken ct) =>
        RunAsync(RemoveNodeArgs(project, stack, pool, element), Empty, ct);

    /// <summary>Appends ids to pool <paramref name="pool"/>'s node list, whose current length is <paramref name="start"/>.</summary>
    public Task AppendNodesAsync(string stack, int pool, int start, IReadOnlyList<string> ids, CancellationToken ct) =>
        ids.Count == 0 ? Task.CompletedTask : RunAsync(AppendNodesArgs(project, stack, pool, start, ids), Empty, ct);

    /// <summary>Runs <c>up</c>, reading its event log for progress while it runs and for the summary after.</summary>
    public async Task<UpSummary> UpAsync(string stack, string eventLog, TimeSpan timeout, Action<UpProgress> progress, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(eventLog)!);
        var args = UpArgs(stack, eventLog);
        var reader = new EventLogReader(eventLog);
        using var limit = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        var run = RunAsync(args, DebugCommands, linked.Token);
        try
        {
            while (!run.IsCompleted)
            {
                // Poll on the service's token, not the timeout's: after a timeout pulumi takes up to 10 s to stop after
                // SIGINT, and a delay on a cancelled token would spin.
                await Task.WhenAny(run, Task.Delay(EventLogPoll, time, ct)).ConfigureAwait(false);
                if (reader.ReadNew()) progress(reader.Progress);
            }
            await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new PulumiCommandException("pulumi " + string.Join(' ', args), null,
                $"`pulumi up` did not finish within {timeout.TotalSeconds:0} s and was stopped; the stack may stay locked until the update expires (or `pulumi cancel --stack {stack}`)");
        }
        finally
        {
            reader.ReadNew();
        }
        progress(reader.Progress);
        return reader.Summary ?? new UpSummary(null, 0, new Dictionary<string, int>(), reader.Progress.Events, reader.Errors);
    }

    /// <summary>Runs <c>preview --json</c> and reads its digest; a non-zero exit is classified like any other command's.</summary>
    public async Task<PreviewDigest> PreviewAsync(string stack, TimeSpan timeout, CancellationToken ct)
    {
        var args = PreviewArgs(stack);
        using var limit = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        CommandResult result;
        try
        {
            result = await RunAsync(args, NoStreamingPreview, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new PulumiCommandException("pulumi " + string.Join(' ', args), null, $"`pulumi preview` did not finish within {timeout.TotalSeconds:0} s and was stopped");
        }
        try
        {
            if (System.Text.Json.JsonSerializer.Deserialize(result.StandardOutput, PreviewJsonContext.Default.PreviewDigest) is { } digest) return digest;
        }
        catch (System.Text.Json.JsonException) { }
        var head = result.StandardOutput.Length > 200 ? result.StandardOutput[..200] + "…" : result.StandardOutput;
        throw new PulumiCommandException("pulumi " + string.Join(' ', args), result, $"`pulumi {string.Join(' ', args)}` printed no preview digest (JSON object): {head.Trim()}");
    }

    /// <summary>Cancels the update holding the stack's lock (one that a killed process of ours left behind).</summary>
    public Task CancelAsync(string stack, CancellationToken ct) => RunAsync(CancelArgs(stack), Empty, ct);

    /// <summary>The <c>pools</c> stack output: pool → {size, gpu, nodes}; null when nothing is deployed yet.</summary>
    public async Task<JsonObject?> PoolsOutputAsync(string stack, CancellationToken ct)
    {
        var result = await RunAsync(PoolsOutputArgs(stack), Empty, ct).ConfigureAwait(false);
        try { return JsonNode.Parse(result.StandardOutput) as JsonObject; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    private async Task<CommandResult> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> env, CancellationToken ct)
    {
        Running?.Invoke(args);
        CommandResult result;
        try
        {
            result = await pulumi.RunAsync(args, workingDirectory, env, ct).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw new PulumiCommandException("pulumi " + string.Join(' ', args), null,
                $"cannot run pulumi ({e.Message}): install the Pulumi CLI (>= 3.154) on PATH or set PULUMI_BINARY");
        }
        if (result.ExitCode != 0) throw PulumiCommandException.FromResult(args, result);
        return result;
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    // --event-log is a hidden debug flag: the CLI only accepts it with this variable set.
    private static readonly IReadOnlyDictionary<string, string> DebugCommands = new Dictionary<string, string> { ["PULUMI_DEBUG_COMMANDS"] = "true" };

    // PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true (every PULUMI_* is passed) would turn `preview --json` into a stream of
    // engine events (sdk/go/common/env/env.go, pkg/backend/display/display.go at v3.259.0): the digest is asked for.
    private static readonly IReadOnlyDictionary<string, string> NoStreamingPreview = new Dictionary<string, string> { ["PULUMI_ENABLE_STREAMING_JSON_PREVIEW"] = "false" };

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
