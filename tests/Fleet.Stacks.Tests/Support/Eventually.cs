namespace Fleet.Stacks.Tests.Support;

/// <summary>Waits for a condition another process or thread makes true (never for a length of time).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 60)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (!condition())
        {
            if (cts.IsCancellationRequested) throw new TimeoutException($"gave up waiting for: {what}");
            await Task.Delay(10);
        }
    }
}
