namespace Fleet.Stacks.Persistence;

/// <summary>
/// What <see cref="OperationStore.AcceptDrain"/> did: the operation (new, or the pending one for that node or request id),
/// or none when the pool's size <paramref name="Size"/> is already at its min, or when <paramref name="Busy"/>, a
/// replacement of that node, is still pending.
/// </summary>
public sealed record DrainAcceptance(OperationRecord? Operation, bool Duplicate, int Size, OperationRecord? Busy = null);
