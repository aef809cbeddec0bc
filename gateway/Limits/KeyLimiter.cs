using System.Collections.Concurrent;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;

namespace Fleet.Gateway.Limits;

/// <summary>
/// Per-client requests/min and tokens/min. A request takes one request unit when admitted; tokens are charged when
/// the response has been read (its <c>usage</c>, else one per streamed content chunk), so a client is refused once its
/// token balance is spent, until it refills.
/// </summary>
/// <remarks>
/// Memory is bounded. A client whose two budgets are full again is forgotten at the next sweep (at most once a minute,
/// and at most once a second while at the cap): a full bucket behaves exactly like a fresh one, so forgetting it changes
/// no decision. At most <see cref="GatewayOptions.MaxClients"/> clients are tracked; at the cap a JWT client not yet
/// tracked is refused (<see cref="LimitDecision.TooManyClients"/>) rather than let in unmetered. API keys are always
/// tracked: the keys file bounds them.
/// </remarks>
public sealed class KeyLimiter(TimeProvider time, GatewayOptions options)
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SweepAtCapInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, Buckets> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _sweepLock = new();
    private long _lastSweep = time.GetTimestamp();
    private int _count;

    /// <summary>Clients whose budgets are tracked now (the <c>fleet_gateway_limiter_clients</c> gauge).</summary>
    public int TrackedClients => Volatile.Read(ref _count);

    /// <summary>Admits a request for <paramref name="key"/> or says which limit refuses it.</summary>
    public LimitDecision TryAdmit(ApiKey key)
    {
        SweepIfDue(SweepInterval);
        while (true)
        {
            if (For(key, overCap: false) is not { } b) return LimitDecision.TooManyClients;
            lock (b)
            {
                if (b.Evicted) continue;
                if (!b.Tokens.HasBudget(out var tokenWait)) return new LimitDecision(false, "tokens", tokenWait);
                if (!b.Requests.TryTakeOne(out var requestWait)) return new LimitDecision(false, "requests", requestWait);
                return LimitDecision.Allow;
            }
        }
    }

    /// <summary>
    /// Takes <paramref name="tokens"/> (a request's estimate) from the client's balance while it is above zero, in one step,
    /// so concurrent requests cannot all pass on the same balance; otherwise says when it will be above zero again.
    /// </summary>
    public LimitDecision TryReserveTokens(ApiKey key, long tokens)
    {
        while (true)
        {
            if (For(key, overCap: false) is not { } b) return LimitDecision.TooManyClients;
            lock (b)
            {
                if (b.Evicted) continue;
                if (!b.Tokens.HasBudget(out var wait)) return new LimitDecision(false, "tokens", wait);
                b.Tokens.Charge(tokens);
                return LimitDecision.Allow;
            }
        }
    }

    /// <summary>Charges <paramref name="tokens"/> used by a finished request; a negative amount gives a reservation back.</summary>
    public void ChargeTokens(ApiKey key, long tokens)
    {
        if (tokens == 0) return;
        while (true)
        {
            // A refund to a forgotten client is a no-op (a fresh budget is full); usage is charged even past the cap, which
            // in-flight requests bound.
            if (tokens < 0 && !_buckets.ContainsKey(key.Name)) return;
            var b = For(key, overCap: true)!;
            lock (b)
            {
                if (b.Evicted) continue;
                b.Tokens.Charge(tokens);
                return;
            }
        }
    }

    // Limits can change when the keys file is rewritten: a key with new limits starts a fresh budget.
    private Buckets? For(ApiKey key, bool overCap)
    {
        while (true)
        {
            if (_buckets.TryGetValue(key.Name, out var b))
            {
                if (b.Requests.PerMinute == key.RequestsPerMinute && b.Tokens.PerMinute == key.TokensPerMinute) return b;
                var replacement = NewBuckets(key);
                lock (b)
                {
                    if (b.Evicted) continue;
                    b.Evicted = true;
                    if (_buckets.TryUpdate(key.Name, replacement, b)) return replacement;
                }
                continue;
            }
            if (!overCap && key.Issuer is not null && TrackedClients >= options.MaxClients)
            {
                SweepIfDue(SweepAtCapInterval);
                if (TrackedClients >= options.MaxClients) return null;
            }
            var fresh = NewBuckets(key);
            if (_buckets.TryAdd(key.Name, fresh))
            {
                Interlocked.Increment(ref _count);
                return fresh;
            }
        }
    }

    // Forgets every client whose budgets are both full: it would be admitted exactly as a fresh one is.
    private void SweepIfDue(TimeSpan interval)
    {
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(Interlocked.Read(ref _lastSweep), now) < interval || !_sweepLock.TryEnter()) return;
        try
        {
            Interlocked.Exchange(ref _lastSweep, now);
            foreach (var (name, b) in _buckets)
            {
                lock (b)
                {
                    if (b.Evicted || !b.Requests.IsFull() || !b.Tokens.IsFull()) continue;
                    b.Evicted = true;
                }
                if (_buckets.TryRemove(new KeyValuePair<string, Buckets>(name, b))) Interlocked.Decrement(ref _count);
            }
        }
        finally
        {
            _sweepLock.Exit();
        }
    }

    private Buckets NewBuckets(ApiKey key) =>
        new(new TokenBucket(key.RequestsPerMinute, time), new TokenBucket(key.TokensPerMinute, time));

    // Evicted (under its lock): removed or replaced; whoever finds it so looks the client up again.
    private sealed class Buckets(TokenBucket requests, TokenBucket tokens)
    {
        public TokenBucket Requests { get; } = requests;
        public TokenBucket Tokens { get; } = tokens;
        public bool Evicted { get; set; }
    }
}
