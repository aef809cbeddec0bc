using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Limits;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Gateway.Tests.Limits;

/// <summary>
/// Forgetting a client whose budgets are full changes no decision: the limiter, which forgets idle clients, answers a long
/// random sequence of admissions, reservations, charges and refunds exactly as a reference that keeps every bucket forever.
/// </summary>
public sealed class EvictionEquivalenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_limiter_decides_exactly_as_one_that_never_forgets(int seed)
    {
        var random = new Random(seed);
        var time = new FakeTimeProvider();
        var limiter = new KeyLimiter(time, new GatewayOptions { MaxClients = 1_000 });
        var clients = Enumerable.Range(0, 6)
            .Select(i => new ApiKey($"jwt:https://id.example.com#user-{i}", [], 1 + i, 20 + 10 * i, [], "https://id.example.com")).ToArray();
        var reference = clients.ToDictionary(c => c.Name, c => (Requests: new TokenBucket(c.RequestsPerMinute, time), Tokens: new TokenBucket(c.TokensPerMinute, time)));
        var forgotten = 0;

        for (var step = 0; step < 5_000; step++)
        {
            var client = clients[random.Next(clients.Length)];
            var (requests, tokens) = reference[client.Name];
            var amount = random.Next(1, 40);
            switch (random.Next(4))
            {
                case 0:
                    var expected = !tokens.HasBudget(out var tokenWait) ? new LimitDecision(false, "tokens", tokenWait)
                        : !requests.TryTakeOne(out var requestWait) ? new LimitDecision(false, "requests", requestWait) : LimitDecision.Allow;
                    Assert.Equal(expected, limiter.TryAdmit(client));
                    break;
                case 1:
                    var reserved = tokens.HasBudget(out var wait) ? LimitDecision.Allow : new LimitDecision(false, "tokens", wait);
                    if (reserved.Allowed) tokens.Charge(amount);
                    Assert.Equal(reserved, limiter.TryReserveTokens(client, amount));
                    break;
                case 2:
                    tokens.Charge(amount);
                    limiter.ChargeTokens(client, amount);
                    break;
                default:
                    tokens.Charge(-amount);
                    limiter.ChargeTokens(client, -amount);
                    break;
            }
            if (limiter.TrackedClients < clients.Length) forgotten++;
            // Mostly short steps, sometimes long enough for budgets to refill and the minute's sweep to run.
            time.Advance(TimeSpan.FromMilliseconds(random.Next(10) == 0 ? random.Next(30_000, 120_000) : random.Next(0, 3_000)));
        }

        Assert.True(forgotten > 100, $"clients were forgotten in only {forgotten} steps; the sequence does not exercise eviction");
    }
}
