namespace Fleet.Stacks.Persistence;

/// <summary>The string constants stored in the operations and runs tables.</summary>
public static class OperationKinds
{
    public const string Scale = "scale";
    public const string Replace = "replace";

    public const string Accepted = "accepted";
    public const string Applying = "applying";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    public const string Running = "running";
    public const string Interrupted = "interrupted";
}
