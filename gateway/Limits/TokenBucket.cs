namespace Fleet.Gateway.Limits;

/// <summary>
/// A per-minute budget refilled continuously (capacity/60 per second). Not thread-safe: the owner locks.
/// The balance may go negative when usage is charged after the fact (tokens): the key then waits it off.
/// </summary>
public sealed class TokenBucket(int perMinute, TimeProvider time)
{
    private double _balance = perMinute;
    private long _stamp = time.GetTimestamp();

    /// <summary>The budget per minute.</summary>
    public int PerMinute { get; } = perMinute;

    /// <summary>Takes one unit if available; otherwise says how long (whole seconds, Retry-After's unit) until one is.</summary>
    public bool TryTakeOne(out TimeSpan retryAfter)
    {
        Refill();
        if (_balance >= 1)
        {
            _balance -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }
        retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((1 - _balance) * 60.0 / PerMinute)));
        return false;
    }

    /// <summary>Whether anything is left (balance above zero); otherwise the whole seconds after which the balance is above zero.</summary>
    public bool HasBudget(out TimeSpan retryAfter)
    {
        Refill();
        retryAfter = _balance > 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Floor(-_balance * 60.0 / PerMinute) + 1);
        return _balance > 0;
    }

    /// <summary>Charges <paramref name="amount"/> units, possibly going below zero; a negative amount refunds, up to the full budget.</summary>
    public void Charge(long amount)
    {
        Refill();
        _balance = Math.Min(PerMinute, _balance - amount);
    }

    /// <summary>Whether the balance is back at the full budget: the bucket then behaves exactly like a fresh one.</summary>
    public bool IsFull()
    {
        Refill();
        return _balance >= PerMinute;
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        _balance = Math.Min(PerMinute, _balance + time.GetElapsedTime(_stamp, now).TotalSeconds * PerMinute / 60.0);
        _stamp = now;
    }
}
