using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Git;
using Fleet.Stacks.Webhooks;

namespace Fleet.Stacks.Hosting;

/// <summary>Everything the control service is configured with (from <c>FLEET_</c> environment variables).</summary>
/// <param name="ProjectDirectory">The Pulumi project working copy (the folder with <c>Pulumi.yaml</c>); the service edits its stack files.</param>
/// <param name="Project">The Pulumi project name (<c>name:</c> in Pulumi.yaml), also the config namespace and host-name prefix.</param>
/// <param name="Stacks">The stacks this instance is the single writer of.</param>
/// <param name="WebhookSecrets">Current secret first, then the previous one during a rotation.</param>
/// <param name="CoalesceWindow">Before claiming a batch the writer waits until no request has arrived for this long
/// (at most <paramref name="CoalesceMax"/>), so a burst of webhooks becomes one <c>up</c> even when no <c>up</c> is running.</param>
/// <param name="CoalesceMax">The longest a batch waits for a burst to end.</param>
/// <param name="PulumiEnvironment">Variables passed to <c>pulumi</c> beyond the built-in allow-list (<c>FLEET_PULUMI_ENV</c>).</param>
/// <param name="DeadGrace">How long the gateway must have heard nothing from a dead node before it is replaced.</param>
/// <param name="Git">Git mode (<c>FLEET_GIT_URL</c>): the project directory is the service's own clone, reset to git before
/// every run; null: the working copy is the operator's.</param>
public sealed record StacksOptions(
    string ProjectDirectory,
    string Project,
    IReadOnlyList<string> Stacks,
    IReadOnlyList<WebhookSecret> WebhookSecrets,
    Uri? GatewayUrl,
    string? GatewayToken,
    string DatabasePath,
    string Listen,
    TimeSpan WatchInterval,
    TimeSpan DrainTimeout,
    TimeSpan DrainPoll,
    TimeSpan ReadyTimeout,
    TimeSpan ReadyPoll,
    TimeSpan DeadGrace,
    TimeSpan UpTimeout,
    int ConflictRetries,
    TimeSpan ConflictBackoff,
    int MaxResumes,
    AutoscalerOptions Autoscaler,
    TimeSpan CoalesceWindow = default,
    TimeSpan CoalesceMax = default,
    IReadOnlyList<string>? PulumiEnvironment = null,
    string LogFormat = "json",
    GitOptions? Git = null)
{
    /// <summary>The host name the gateway knows a node by: <c>&lt;project&gt;-&lt;stack&gt;-&lt;pool&gt;-&lt;id&gt;</c>.</summary>
    public string NodeName(string stack, string pool, string id) => $"{Project}-{stack}-{pool}-{id}";
}
