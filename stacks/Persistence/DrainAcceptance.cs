namespace Fleet.Stacks.Persistence;

/// <summary>
/// What <see cref="OperationStore.AcceptDrain"/> did: the operation (new, or the pending one for that node or request id),
/// or none when the pool's size <paramref name="Size"/> is already at its min.
/// </summary>
public sealed record DrainAcceptance(OperationRecord? Operation, bool Duplicate, int Size);
