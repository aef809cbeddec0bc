using System.Text;
using Fleet.Agent.Inference;

namespace Fleet.Agent.Api;

/// <summary>Turns the engine's per-token log-probabilities into the chat and legacy completions shapes.</summary>
internal static class LogprobsMapper
{
    public static ChatLogprobsDto Chat(IEnumerable<TokenLogprob> tokens) =>
        new([.. tokens.Select(t => new ChatTokenLogprobDto(Text(t.Bytes), t.Logprob, Ints(t.Bytes),
            [.. t.Top.Select(a => new ChatTopLogprobDto(Text(a.Bytes), a.Logprob, Ints(a.Bytes)))]))]);

    /// <summary>Legacy shape; <paramref name="offset"/> is where the first token starts in prompt + completion, and moves on.</summary>
    public static TextLogprobsDto Text(IEnumerable<TokenLogprob> tokens, ref int offset)
    {
        var dto = new TextLogprobsDto([], [], [], []);
        foreach (var t in tokens)
        {
            var text = Text(t.Bytes);
            dto.Tokens.Add(text);
            dto.TokenLogprobs.Add(t.Logprob);
            var top = new Dictionary<string, float>();
            foreach (var a in t.Top) top.TryAdd(Text(a.Bytes), a.Logprob); // two tokens with one text: the likelier
            dto.TopLogprobs.Add(top);
            dto.TextOffset.Add(offset);
            offset += text.Length;
        }

        return dto;
    }

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static int[] Ints(byte[] bytes) => [.. bytes.Select(b => (int)b)];
}
