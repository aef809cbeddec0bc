using System.Collections.Concurrent;
using Fleet.Gateway.Credentials;

namespace Fleet.Gateway.Limits;

/// <summary>
/// Per-key requests/min and tokens/min. A request takes one request unit when admitted; tokens are charged when
/// the response has been read (its <c>usage</c>, else one per streamed content chunk), so a key is refused once its
/// token balance is spent, until it refills.
/// </summary>
public sealed class KeyLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Buckets> _buckets = new(StringComparer.Ordinal);

    /// <summary>Admits a request for <paramref name="key"/> or says which limit refuses it.</summary>
    public LimitDecision TryAdmit(ApiKey key)
    {
        var b = For(key);
        lock (b)
        {
            if (!b.Tokens.HasBudget(out var tokenWait)) return new LimitDecision(false, "tokens", tokenWait);
            if (!b.Requests.TryTakeOne(out var requestWait)) return new LimitDecision(false, "requests", requestWait);
            return LimitDecision.Allow;
        }
    }

    /// <summary>
    /// Takes <paramref name="tokens"/> (a request's estimate) from the key's balance while it is above zero, in one step,
    /// so concurrent requests cannot all pass on the same balance; otherwise says when it will be above zero again.
    /// </summary>
    public LimitDecision TryReserveTokens(ApiKey key, long tokens)
    {
        var b = For(key);
        lock (b)
        {
            if (!b.Tokens.HasBudget(out var wait)) return new LimitDecision(false, "tokens", wait);
            b.Tokens.Charge(tokens);
            return LimitDecision.Allow;
        }
    }

    /// <summary>Charges <paramref name="tokens"/> used by a finished request; a negative amount gives a reservation back.</summary>
    public void ChargeTokens(ApiKey key, long tokens)
    {
        if (tokens == 0) return;
        var b = For(key);
        lock (b) b.Tokens.Charge(tokens);
    }

    // Limits can change when the keys file is rewritten: a key with new limits starts a fresh budget.
    private Buckets For(ApiKey key)
    {
        if (!_buckets.TryGetValue(key.Name, out var b)) b = _buckets.GetOrAdd(key.Name, NewBuckets(key));
        if (b.Requests.PerMinute == key.RequestsPerMinute && b.Tokens.PerMinute == key.TokensPerMinute) return b;
        var fresh = NewBuckets(key);
        _buckets[key.Name] = fresh;
        return fresh;
    }

    private Buckets NewBuckets(ApiKey key) =>
        new(new TokenBucket(key.RequestsPerMinute, time), new TokenBucket(key.TokensPerMinute, time));

    private sealed record Buckets(TokenBucket Requests, TokenBucket Tokens);
}
