using Fleet.Stacks.Observability;
using Fleet.Stacks.Persistence;
using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// What a killed previous process left running on a stack: a live <c>pulumi</c> is waited for (never raced); a dead
/// <c>up</c> may have left the stack locked, and that lock — and only that one — may be cancelled through the CLI.
/// </summary>
public sealed class OrphanGuard(string stack, ChildLedger? children, TimeSpan waitLimit, TimeSpan poll, TimeProvider time, ILogger log)
{
    private ChildLedger.Child? _deadUp;

    /// <summary>A dead orphaned <c>up</c> whose lock a conflict now points at; null when a conflict must be waited out.</summary>
    public ChildLedger.Child? StaleLockHolder => _deadUp;

    /// <summary>Waits for every live orphan of the stack; remembers a dead <c>up</c>; forgets the rest.</summary>
    public async Task SettleAsync(CancellationToken ct)
    {
        if (children is null) return;
        foreach (var orphan in children.Orphans(stack))
        {
            if (ChildLedger.IsAlive(orphan))
            {
                Log.OrphanWaiting(log, stack, orphan.Pid, orphan.Command);
                var start = time.GetTimestamp();
                while (ChildLedger.IsAlive(orphan))
                {
                    if (time.GetElapsedTime(start) > waitLimit)
                        throw new InvalidOperationException(
                            $"`pulumi {orphan.Command}` (pid {orphan.Pid}) left by the previous service process still runs after {waitLimit.TotalSeconds:0} s; " +
                            $"nothing was started beside it. Stop it (kill -INT {orphan.Pid}) or let it finish, then send the request again");
                    await Task.Delay(poll, time, ct).ConfigureAwait(false);
                }
                // It finished on its own: its lock is released; whether its up succeeded is settled by reconciliation.
                children.Forget(orphan.Id);
            }
            else if (orphan.IsUp) _deadUp = orphan;
            else children.Forget(orphan.Id);
        }
    }

    /// <summary>The dead orphan's lock was cancelled, or an <c>up</c> got through: nothing left to settle.</summary>
    public void Settled()
    {
        if (_deadUp is { } dead) children?.Forget(dead.Id);
        _deadUp = null;
    }
}
