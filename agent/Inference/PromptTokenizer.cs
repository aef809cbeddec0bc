using System.Text;
using LLama.Native;

namespace Fleet.Agent.Inference;

/// <summary>
/// Tokenizes prompts in bounded, cancellable pieces. Only the chat template's own text may produce control tokens:
/// client text is tokenized with special tokens off, so "&lt;|im_start|&gt;" in a message stays plain text.
/// Long text is cut into chunks of at most <see cref="ChunkChars"/> characters, preferably just before a space
/// between two words (where every llama.cpp pre-tokenizer splits anyway, so the tokens are the same); a run with no
/// such space is cut hard, which may change the tokens at the cut. Tokenizing stops once the prompt cannot fit.
/// </summary>
internal sealed class PromptTokenizer
{
    /// <summary>Characters per llama.cpp call: a few milliseconds even for the slowest (unbroken) input.</summary>
    public const int ChunkChars = 4096;

    private readonly SafeLlamaModelHandle _model;
    private readonly (string Text, LLamaToken Id)[] _control;
    private readonly LLamaToken? _bos, _eos;
    private readonly bool _dropSpaceAtCut;

    private PromptTokenizer(SafeLlamaModelHandle model, (string, LLamaToken)[] control, int longestPiece)
    {
        _model = model;
        _control = control;
        LongestPieceBytes = longestPiece;
        var vocab = model.Vocab;
        _bos = vocab.ShouldAddBOS ? vocab.BOS : null;
        _eos = vocab.ShouldAddEOS ? vocab.EOS : null;
        // SentencePiece vocabularies prefix every llama.cpp call with a space: a chunk cut before a space then
        // drops that space, or the word after the cut would carry two.
        var whole = Raw("Hello world");
        _dropSpaceAtCut = whole.SequenceEqual(Raw("Hello").Concat(Raw("world")));
    }

    /// <summary>Bytes of text the longest ordinary token stands for: no token covers more of a prompt.</summary>
    public int LongestPieceBytes { get; }

    /// <summary>Reads the vocabulary once: the control tokens (by text, longest first) and the longest piece.</summary>
    public static PromptTokenizer Create(SafeLlamaModelHandle model)
    {
        var vocab = model.Vocab;
        var control = new List<(string, LLamaToken)>();
        var longest = 1;
        var buffer = new byte[1024];
        for (var id = 0; id < vocab.Count; id++)
        {
            LLamaToken token = id;
            var isControl = (token.GetAttributes(vocab) & LLamaTokenAttr.Control) != 0;
            var size = (int)model.TokenToSpan(token, buffer, 0, special: isControl);
            if (size > buffer.Length)
            {
                buffer = new byte[size];
                size = (int)model.TokenToSpan(token, buffer, 0, special: isControl);
            }

            if (!isControl) longest = Math.Max(longest, size);
            else if (size > 0) control.Add((Encoding.UTF8.GetString(buffer, 0, size), token));
        }

        control.Sort((a, b) => b.Item1.Length.CompareTo(a.Item1.Length));
        return new PromptTokenizer(model, [.. control], longest);
    }

    /// <summary>
    /// Tokenizes the parts in order (with BOS/EOS as the model asks), stopping once more than <paramref name="limit"/>
    /// tokens were produced: the result is then longer than <paramref name="limit"/>, but not necessarily complete.
    /// </summary>
    public LLamaToken[] Tokenize(IReadOnlyList<PromptPart> parts, int limit, CancellationToken cancellationToken, bool addSpecial = true)
    {
        var tokens = new List<LLamaToken>();
        if (addSpecial && _bos is { } bos) tokens.Add(bos);
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (!part.FromTemplate)
            {
                text.Append(part.Text);
                continue;
            }

            var s = part.Text;
            var start = 0;
            for (var i = 0; i < s.Length;)
            {
                if (MatchControl(s, i) is not var (marker, id))
                {
                    i++;
                    continue;
                }

                text.Append(s, start, i - start);
                if (!TokenizeText(text, tokens, limit, cancellationToken)) return [.. tokens];
                tokens.Add(id);
                i += marker.Length;
                start = i;
            }

            text.Append(s, start, s.Length - start);
        }

        if (TokenizeText(text, tokens, limit, cancellationToken) && addSpecial && _eos is { } eos) tokens.Add(eos);
        return [.. tokens];
    }

    /// <summary>
    /// The text of one token (control tokens as their text). <paramref name="first"/> drops the space a
    /// SentencePiece vocabulary puts before the first word, as llama.cpp's <c>llama_detokenize</c> does.
    /// </summary>
    public byte[] PieceBytes(LLamaToken token, bool first = false)
    {
        Span<byte> buffer = stackalloc byte[256];
        var lstrip = first && _dropSpaceAtCut ? 1 : 0;
        var size = (int)_model.TokenToSpan(token, buffer, lstrip, special: true);
        if (size <= buffer.Length) return buffer[..size].ToArray();
        var big = new byte[size];
        size = (int)_model.TokenToSpan(token, big, lstrip, special: true);
        return big[..size];
    }

    /// <summary>Text of a token sequence (pieces joined, then decoded as UTF-8), checking cancellation every 4 096 tokens.</summary>
    public string Detokenize(IReadOnlyList<LLamaToken> tokens, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (i % 4096 == 0) cancellationToken.ThrowIfCancellationRequested();
            bytes.AddRange(PieceBytes(tokens[i], first: i == 0));
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private (string, LLamaToken)? MatchControl(string s, int at)
    {
        foreach (var c in _control)
            if (c.Text[0] == s[at] && at + c.Text.Length <= s.Length && string.CompareOrdinal(s, at, c.Text, 0, c.Text.Length) == 0)
                return c;
        return null;
    }

    /// <summary>Tokenizes and clears <paramref name="text"/> chunk by chunk; false once past the limit.</summary>
    private bool TokenizeText(StringBuilder text, List<LLamaToken> tokens, int limit, CancellationToken cancellationToken)
    {
        var s = text.ToString();
        text.Clear();
        for (var at = 0; at < s.Length;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = NextCut(s, at);
            var from = at > 0 && _dropSpaceAtCut && s[at] == ' ' ? at + 1 : at;
            tokens.AddRange(Raw(s[from..end]));
            if (tokens.Count > limit) return false;
            at = end;
        }

        return true;
    }

    /// <summary>The end of the chunk starting at <paramref name="at"/>: before a space between words if there is one.</summary>
    internal static int NextCut(string s, int at)
    {
        if (s.Length - at <= ChunkChars) return s.Length;
        var hard = at + ChunkChars;
        for (var i = hard - 1; i > at + ChunkChars / 2; i--)
            if (s[i] == ' ' && !char.IsWhiteSpace(s[i - 1]) && !char.IsWhiteSpace(s[i + 1]))
                return i;
        return char.IsLowSurrogate(s[hard]) ? hard - 1 : hard;
    }

    private LLamaToken[] Raw(string text) => text.Length == 0 ? [] : _model.Tokenize(text, false, false, Encoding.UTF8);
}
