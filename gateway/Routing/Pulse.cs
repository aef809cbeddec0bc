namespace Fleet.Gateway.Routing;

/// <summary>
/// A broadcast signal: <see cref="Next"/> completes at the following <see cref="Fire"/>. Take <see cref="Next"/>
/// before checking the condition you wait for, so a fire between check and wait is not lost.
/// </summary>
public sealed class Pulse
{
    private TaskCompletionSource _next = New();

    /// <summary>Completes at the next <see cref="Fire"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes everyone waiting on <see cref="Next"/>.</summary>
    public void Fire() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
