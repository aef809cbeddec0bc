using Fleet.Gateway.Configuration;

namespace Fleet.Gateway.Tests;

public sealed class GatewayOptionsValidatorTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["FLEET_NODES_FILE"] = "/run/secrets/nodes.json",
        ["FLEET_API_KEYS_FILE"] = "/run/secrets/keys.json",
        ["FLEET_ADMIN_TOKEN_FILE"] = "/run/secrets/admin-token",
    };

    [Theory]
    [InlineData("FLEET_HEARTBEAT_INTERVAL_SECONDS", "2")]
    [InlineData("FLEET_DEAD_AFTER_SECONDS", "60")]
    [InlineData("FLEET_QUEUE_TIMEOUT_SECONDS", "0")]
    [InlineData("FLEET_UPSTREAM_HTTP_VERSION", "2")]
    [InlineData("FLEET_PARTITION_FRACTION", "0.75")]
    [InlineData("FLEET_PRIVATE_CIDR", "10.128.0.0/20")]
    [InlineData("FLEET_PRIVATE_CIDR", "10.128.0.0/20, fd00::/8")]
    [InlineData("FLEET_AGENT_PORT", "8081")]
    [InlineData("FLEET_MAX_SLOTS_PER_NODE", "4")]
    [InlineData("FLEET_LOG_FORMAT", "text")]
    [InlineData("FLEET_MAX_REQUEST_BODY_BYTES", "131072")]
    [InlineData("FLEET_JWT_ISSUERS_FILE", "/run/secrets/jwt-issuers.json")]
    [InlineData("FLEET_JWKS_TIMEOUT_SECONDS", "2.5")]
    [InlineData("FLEET_MODELS", "qwen2.5-0.5b, org/llama-3.1-8b")]
    [InlineData("FLEET_SCALE_FROM_ZERO_TIMEOUT_SECONDS", "0")]
    [InlineData("FLEET_SCALE_FROM_ZERO_MAX_HELD", "0")]
    [InlineData("FLEET_MAX_CLIENTS", "1")]
    public void Accepts(string name, string value)
    {
        var (options, errors) = Read(new() { [name] = value });
        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(15), new GatewayOptions().SuspectAfter);
        Assert.NotNull(options);
    }

    [Theory]
    [InlineData("FLEET_DEAD_AFTER_SECONDS", "90", "FLEET_DEAD_AFTER_SECONDS=90 exceeds 60 s")]
    [InlineData("FLEET_DEAD_AFTER_SECONDS", "10", "FLEET_DEAD_AFTER_SECONDS=10 must exceed the suspect window (15 s")]
    [InlineData("FLEET_HEARTBEAT_INTERVAL_SECONDS", "five", "FLEET_HEARTBEAT_INTERVAL_SECONDS='five' is not a number of seconds")]
    [InlineData("FLEET_PARTITION_FRACTION", "1", "FLEET_PARTITION_FRACTION=1 must be between 0 and 1")]
    [InlineData("FLEET_UPSTREAM_HTTP_VERSION", "3", "set FLEET_UPSTREAM_HTTP_VERSION=1.1 or FLEET_UPSTREAM_HTTP_VERSION=2")]
    [InlineData("FLEET_MAX_WAITING", "-1", "FLEET_MAX_WAITING=-1 must not be negative")]
    [InlineData("FLEET_PRIVATE_CIDR", "0.0.0.0/0", "FLEET_PRIVATE_CIDR has 0.0.0.0/0, which is not a private range")]
    [InlineData("FLEET_PRIVATE_CIDR", "169.254.0.0/16", "FLEET_PRIVATE_CIDR has 169.254.0.0/16, which is not a private range")]
    [InlineData("FLEET_PRIVATE_CIDR", "10.0.0.1/8", "FLEET_PRIVATE_CIDR has '10.0.0.1/8', which is not a CIDR with its host bits zero")]
    [InlineData("FLEET_PRIVATE_CIDR", " ", "FLEET_PRIVATE_CIDR is empty")]
    [InlineData("FLEET_AGENT_PORT", "70000", "FLEET_AGENT_PORT=70000 must be a TCP port")]
    [InlineData("FLEET_MAX_SLOTS_PER_NODE", "0", "FLEET_MAX_SLOTS_PER_NODE=0 must be between 1 and 4096; set it to the stack's fleet:model.parallel")]
    [InlineData("FLEET_MAX_REQUEST_BODY_BYTES", "8388609", "FLEET_MAX_REQUEST_BODY_BYTES=8388609 must be between 1024 and 8388608")]
    [InlineData("FLEET_LOG_FORMAT", "xml", "FLEET_LOG_FORMAT='xml' is not a log format; set FLEET_LOG_FORMAT=json")]
    [InlineData("FLEET_NODE_QUEUE_ALLOWANCE", "2147483647", "FLEET_NODE_QUEUE_ALLOWANCE=2147483647 must be between 0 and 100000")]
    [InlineData("FLEET_JWKS_TIMEOUT_SECONDS", "0", "FLEET_JWKS_TIMEOUT_SECONDS=0 must be above 0 and at most 60")]
    [InlineData("FLEET_SCALE_FROM_ZERO_TIMEOUT_SECONDS", "7200", "FLEET_SCALE_FROM_ZERO_TIMEOUT_SECONDS=7200 must be between 0 and 3600")]
    [InlineData("FLEET_MAX_CLIENTS", "0", "FLEET_MAX_CLIENTS=0 must be between 1 and 10000000")]
    [InlineData("FLEET_SCALE_FROM_ZERO_MAX_HELD", "-1", "FLEET_SCALE_FROM_ZERO_MAX_HELD=-1 must not be negative")]
    [InlineData("FLEET_MODELS", "tiny,bad\u0001", "FLEET_MODELS has a model id of 4 characters or with control characters")]
    public void Rejects(string name, string value, string message)
    {
        var (_, errors) = Read(new() { [name] = value });
        Assert.Contains(errors, e => e.Contains(message));
    }

    [Fact]
    public void Reads_the_configured_models_as_a_list()
    {
        var (options, errors) = Read(new() { ["FLEET_MODELS"] = " tiny, org/big ,,tiny" });

        Assert.Empty(errors);
        Assert.Equal(["tiny", "org/big"], options.Models);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ScaleFromZeroTimeout);
    }

    [Fact]
    public void Reports_every_missing_file_at_once()
    {
        var errors = new List<string>();
        GatewayOptionsValidator.Validate(GatewayOptionsReader.Read(_ => null, errors), errors);

        Assert.Equal(
            ["FLEET_NODES_FILE is not set; set it to the path of the node credentials file the stack writes",
             "FLEET_API_KEYS_FILE is not set; set it to the path of the API keys file the stack writes",
             "FLEET_ADMIN_TOKEN_FILE is not set; set it to the path of the file holding the admin API token"],
            errors);
    }

    private static (GatewayOptions, List<string>) Read(Dictionary<string, string> env)
    {
        var all = new Dictionary<string, string>(Files);
        foreach (var (k, v) in env) all[k] = v;
        var errors = new List<string>();
        var options = GatewayOptionsReader.Read(n => all.GetValueOrDefault(n), errors);
        GatewayOptionsValidator.Validate(options, errors);
        return (options, errors);
    }
}
