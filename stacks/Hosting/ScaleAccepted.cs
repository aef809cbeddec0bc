namespace Fleet.Stacks.Hosting;

/// <summary>202 answer: the operation to poll; <c>target</c> is the request clamped to the pool's min/max.</summary>
public sealed record ScaleAccepted(string OperationId, string Stack, string Pool, int Requested, int Target, bool Clamped, int Min, int Max, bool Duplicate, string Status);
