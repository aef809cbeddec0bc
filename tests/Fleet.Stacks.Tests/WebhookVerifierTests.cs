using System.Security.Cryptography;
using System.Text;
using Fleet.Stacks.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Stacks.Tests;

public sealed class WebhookVerifierTests
{
    // The example of the Standard Webhooks specification and its reference libraries.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(SpecBody);

    private static WebhookVerifier Verifier(FakeTimeProvider time, params string[] secrets) =>
        new(secrets.Select(WebhookSecret.Parse).ToArray(), time);

    private static FakeTimeProvider At(long unixSeconds) => new(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));

    [Fact]
    public void Accepts_the_Standard_Webhooks_published_example()
    {
        Assert.Equal(WebhookVerdict.Valid, Verifier(At(SpecTimestamp), SpecSecret).Verify(SpecId, "1614265330", SpecSignature, Body));
        Assert.Equal(SpecSignature, WebhookVerifier.Sign(WebhookSecret.Parse(SpecSecret), SpecId, SpecTimestamp, Body));
    }

    [Fact]
    public void Plain_secrets_are_their_utf8_bytes_as_in_GitHubs_HMAC_example()
    {
        // docs.github.com "Validating webhook deliveries": sha256=757107ea… for this secret and payload.
        var mac = HMACSHA256.HashData(WebhookSecret.Parse("It's a Secret to Everybody").Key, Encoding.UTF8.GetBytes("Hello, World!"));
        Assert.Equal("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void Rejects_a_tampered_body()
    {
        var tampered = Encoding.UTF8.GetBytes("""{"test": 2432232315}""");
        Assert.Equal(WebhookVerdict.NoMatchingSignature, Verifier(At(SpecTimestamp), SpecSecret).Verify(SpecId, "1614265330", SpecSignature, tampered));
    }

    [Fact]
    public void Rejects_a_tampered_id_or_timestamp()
    {
        var verifier = Verifier(At(SpecTimestamp), SpecSecret);
        Assert.Equal(WebhookVerdict.NoMatchingSignature, verifier.Verify("msg_other", "1614265330", SpecSignature, Body));
        Assert.Equal(WebhookVerdict.NoMatchingSignature, verifier.Verify(SpecId, "1614265331", SpecSignature, Body));
    }

    [Fact]
    public void Rejects_the_wrong_secret()
    {
        var other = "whsec_" + Convert.ToBase64String(new byte[24]);
        Assert.Equal(WebhookVerdict.NoMatchingSignature, Verifier(At(SpecTimestamp), other).Verify(SpecId, "1614265330", SpecSignature, Body));
    }

    [Theory]
    [InlineData(-301, WebhookVerdict.TooOld)]
    [InlineData(-300, WebhookVerdict.Valid)]
    [InlineData(300, WebhookVerdict.Valid)]
    [InlineData(301, WebhookVerdict.TooNew)]
    public void Enforces_the_five_minute_window(int skewSeconds, WebhookVerdict expected)
    {
        // The clock is SpecTimestamp - skew, so the message is skew seconds away from "now".
        var time = At(SpecTimestamp - skewSeconds);
        Assert.Equal(expected, Verifier(time, SpecSecret).Verify(SpecId, "1614265330", SpecSignature, Body));
    }

    [Theory]
    [InlineData(null, "1614265330", SpecSignature)]
    [InlineData(SpecId, null, SpecSignature)]
    [InlineData(SpecId, "1614265330", null)]
    [InlineData("", "1614265330", SpecSignature)]
    public void Rejects_missing_headers(string? id, string? timestamp, string? signature) =>
        Assert.Equal(WebhookVerdict.MissingHeaders, Verifier(At(SpecTimestamp), SpecSecret).Verify(id, timestamp, signature, Body));

    [Theory]
    [InlineData("16142653.30")]
    [InlineData("-1614265330")]
    [InlineData("soon")]
    public void Rejects_a_timestamp_that_is_not_unix_seconds(string timestamp) =>
        Assert.Equal(WebhookVerdict.BadTimestamp, Verifier(At(SpecTimestamp), SpecSecret).Verify(SpecId, timestamp, SpecSignature, Body));

    [Fact]
    public void Accepts_either_secret_during_a_rotation()
    {
        var next = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var signedWithNew = WebhookVerifier.Sign(WebhookSecret.Parse(next), SpecId, SpecTimestamp, Body);
        var verifier = Verifier(At(SpecTimestamp), next, SpecSecret);
        Assert.Equal(WebhookVerdict.Valid, verifier.Verify(SpecId, "1614265330", signedWithNew, Body));
        Assert.Equal(WebhookVerdict.Valid, verifier.Verify(SpecId, "1614265330", SpecSignature, Body));
        Assert.Equal(WebhookVerdict.NoMatchingSignature, Verifier(At(SpecTimestamp), next).Verify(SpecId, "1614265330", SpecSignature, Body));
    }

    [Theory]
    [InlineData("v1,AAAA " + SpecSignature)]
    [InlineData("v2,xyz " + SpecSignature)]
    [InlineData("v1a,abc " + SpecSignature + " v1,bad")]
    public void Any_listed_v1_signature_may_match(string header) =>
        Assert.Equal(WebhookVerdict.Valid, Verifier(At(SpecTimestamp), SpecSecret).Verify(SpecId, "1614265330", header, Body));

    [Theory]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,not base64!")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1O==")]
    public void Rejects_unversioned_or_malformed_signatures(string header) =>
        Assert.Equal(WebhookVerdict.NoMatchingSignature, Verifier(At(SpecTimestamp), SpecSecret).Verify(SpecId, "1614265330", header, Body));

    [Fact]
    public void A_whsec_secret_must_be_base64() =>
        Assert.Contains("base64", Assert.Throws<FormatException>(() => WebhookSecret.Parse("whsec_%%%")).Message);

    [Fact]
    public void Secrets_never_print_their_key() =>
        Assert.Equal("WebhookSecret(24 bytes)", WebhookSecret.Parse(SpecSecret).ToString());
}
