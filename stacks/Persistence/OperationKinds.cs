namespace Fleet.Stacks.Persistence;

/// <summary>The string constants stored in the operations and runs tables.</summary>
public static class OperationKinds
{
    public const string Scale = "scale";
    public const string Replace = "replace";
    /// <summary>Remove one named node: the pool one smaller with that node as the victim, drained first (console).</summary>
    public const string Drain = "drain";
    /// <summary>Pause or resume the autoscaler for a pool (console); recorded as done, nothing to deploy.</summary>
    public const string Autoscale = "autoscale";

    public const string Accepted = "accepted";
    public const string Applying = "applying";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public const string Running = "running";
    public const string Interrupted = "interrupted";
}
