using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Hardening;

/// <summary>
/// Every setting given every odd YAML value: each answer is a program or diagnostics (or, for broken YAML, a
/// <see cref="ConfigSourceException"/>) — never another exception.
/// </summary>
public class OddValueSweepTests
{
    private static readonly string[] Odd =
    [
        "~", "[]", "{}", "[[]]", "[{}]", "{a: {b: c}}", "-1", "0", "1e999", ".inf", ".nan", "\"\\0\"", "\"\\u202e\"", "!!binary aGVsbG8=",
        "2026-01-01", "true", "\"" + new string('x', 5000) + "\"", "{secure: v1:abc}", "[{secure: v1:abc}]", "{size: {secure: v1:abc}}",
        "'[{\"name\":\"a\",\"name\":\"b\"}]'", "'{\"url\":' ", "&a [*a]", "[&a x, *a]", "\"${manager.id}\"", "\"{$HOME}\"", "\"`\"",
        "[{name: cpu, size: c-4, nodes: [[a]]}]", "[{name: cpu, size: [c-4], count: {}}]", "{url: [], sha256: {}}", "{agent: 1, gateway: []}",
    ];

    public static TheoryData<string> Keys => new(StackKeysValidator.KnownKeys.Select(k => "fleet:" + k).Append("digitalocean:token").Append("fleeet:x"));

    [Theory]
    [MemberData(nameof(Keys))]
    public void Any_odd_value_of_any_setting_is_answered_not_thrown(string key)
    {
        foreach (var value in Odd)
        {
            StackConfig raw;
            try { raw = TestStacks.StackFile((key, value)); }
            catch (ConfigSourceException) { continue; }

            var result = SynthesisPipeline.Run(raw);

            Assert.True(result.Program is not null || result.Diagnostics.Count > 0 || result.Violations.Count > 0, $"{key}: {value}");
        }
    }

    private static readonly string[] OddJson =
    [
        "null", "1e400", "-0", "\"\"", "[]", "{}", "\"[1e400]\"", "\"" + new string('[', 200) + new string(']', 200) + "\"",
        "\"{\\\"a\\\":1,\\\"a\\\":2}\"", "[[[[]]]]", "{\"a\":{\"b\":[null]}}", "\"\\u0000\"", "true", "123456789012345678901234567890",
    ];

    [Theory]
    [MemberData(nameof(Keys))]
    public void Any_odd_engine_value_of_any_setting_is_answered_not_thrown(string key)
    {
        foreach (var value in OddJson)
        {
            StackConfig raw;
            try { raw = EngineConfigSource.Parse($"{{\"fleet:cloud\":\"digitalocean\",{System.Text.Json.JsonSerializer.Serialize(key)}:{value}}}", "t", "fleet"); }
            catch (ConfigSourceException) { continue; }

            var result = SynthesisPipeline.Run(raw);

            Assert.True(result.Program is not null || result.Diagnostics.Count > 0, $"{key}: {value}");
        }
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void No_message_carries_a_control_character_from_a_value(string key)
    {
        foreach (var value in new[] { "\"a\\u001b[31mred\\nline\"", "[\"\\u001b]0;title\\u0007\"]", "{name: \"\\u001b[2J\", size: \"\\r\", count: 1}" })
        {
            var result = SynthesisPipeline.Run(TestStacks.StackFile((key, value)));

            Assert.All(result.Diagnostics, d => Assert.DoesNotContain(d.Message + d.Fix, c => char.IsControl(c)));
        }
    }
}
