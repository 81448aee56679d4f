using AmuroChar.Tokenization;

namespace AmuroChar.Checkpoints;

/// <summary>
/// The ids a model's fine-tuning and generation use: <see cref="Eos"/> ends every fine-tuning completion and, with the
/// other <see cref="StopIds"/>, stops generation; <see cref="Pad"/> fills batches; <see cref="Bos"/> is recorded
/// (encoding never prepends one, as OLMo wants). <see cref="Resolve"/> reads them from a Hugging Face model directory.
/// </summary>
/// <remarks>
/// The rule, per role (eos, pad, bos), first found wins:
/// <list type="number">
/// <item>ids: generation_config.json's <c>*_token_id</c>, else config.json's. These are what transformers' generate()
/// stops and pads with, and what the model was trained to emit (OLMo-1B-hf: eos 50279, pad 1, no bos).</item>
/// <item>token strings: tokenizer_config.json's <c>eos_token</c> / <c>pad_token</c> / <c>bos_token</c>, else
/// special_tokens_map.json's, looked up in tokenizer.json.</item>
/// <item>tokenizer.json alone: its special added token named like an EOS / padding token (<see cref="HfTokenizer.EosId"/>).</item>
/// </list>
/// No pad anywhere: pad = eos, as generate() does. No eos anywhere is an error. Where an id file and a token file both
/// name a role but give different ids (or generation_config.json and config.json differ), the id file wins and the
/// disagreement is listed in <see cref="Disagreements"/> for the caller to show.
/// </remarks>
public sealed record SpecialTokens(int Eos, IReadOnlyList<int> StopIds, int Pad, int? Bos, IReadOnlyList<string> Disagreements)
{
    /// <summary>tokenizer.json only (rule step 3): what a tokenizer without a model directory implies.</summary>
    public static SpecialTokens FromTokenizer(HfTokenizer tokenizer, string source = "tokenizer.json")
    {
        int eos = tokenizer.EosId
            ?? throw new InvalidDataException($"{source}: no EOS token (no special added token <|endoftext|>, </s>, <eos> or <|eos|>)");
        return new SpecialTokens(eos, [eos], tokenizer.PadId ?? eos, null, []);
    }

    /// <summary>Resolves the special tokens of the model in <paramref name="directory"/> by the rule above.</summary>
    /// <exception cref="InvalidDataException">A file is malformed, names a token the tokenizer lacks, or nothing names an EOS.</exception>
    public static SpecialTokens Resolve(string directory, HfTokenizer tokenizer)
    {
        var files = new SpecialTokenFiles(directory);
        var disagreements = new List<string>();

        int[]? eosIds = RoleIds(files, "eos", tokenizer, disagreements);
        int[]? padIds = RoleIds(files, "pad", tokenizer, disagreements);
        int[]? bosIds = RoleIds(files, "bos", tokenizer, disagreements);
        if (files.AddsBos)
            throw new InvalidDataException($"{files.TokenizerConfigPath}: add_bos_token true is not supported (encoding never prepends a BOS token)");

        int[] stopIds = eosIds ?? (tokenizer.EosId is int fallback ? new[] { fallback } : null)
            ?? throw new InvalidDataException($"{directory}: no EOS token: neither generation_config.json, config.json, " +
                                              "tokenizer_config.json nor special_tokens_map.json names one, and tokenizer.json has no special <|endoftext|>-like token");
        int eos = stopIds[0];
        int pad = padIds?[0] ?? tokenizer.PadId ?? eos;
        return new SpecialTokens(eos, stopIds, pad, bosIds?[0], disagreements);
    }

    /// <summary>The ids of one role by steps 1 and 2 of the rule, noting disagreements; null if no file names it.</summary>
    static int[]? RoleIds(SpecialTokenFiles files, string role, HfTokenizer tokenizer, List<string> disagreements)
    {
        var fromGeneration = files.Ids(SpecialTokenFiles.GenerationConfig, role);
        var fromConfig = files.Ids(SpecialTokenFiles.Config, role);
        var fromTokenizer = files.Token(SpecialTokenFiles.TokenizerConfig, role) ?? files.Token(SpecialTokenFiles.SpecialTokensMap, role);

        foreach (var ids in new[] { fromGeneration, fromConfig })
            if (ids is { } found)
                foreach (int listed in found.Ids)
                    if (tokenizer.IdToToken(listed) is null)
                        throw new InvalidDataException($"{found.Path}: {role}_token_id {listed} is not a token of the tokenizer (ids 0 … {tokenizer.VocabularySize - 1})");
        int? tokenId = null;
        if (fromTokenizer is { } named)
            tokenId = tokenizer.TokenToId(named.Content)
                ?? throw new InvalidDataException($"{named.Path}: {role}_token \"{named.Content}\" is not a token of the tokenizer");

        if (fromGeneration is { } g && fromConfig is { } c && !g.Ids.SequenceEqual(c.Ids))
            disagreements.Add($"{role}: {Describe(g.Path, role, g.Ids, tokenizer)} but {Describe(c.Path, role, c.Ids, tokenizer)}; using {Path.GetFileName(g.Path)}'s");
        var chosen = fromGeneration ?? fromConfig;
        if (chosen is { } idFile && fromTokenizer is { } tokenFile && !idFile.Ids.Contains(tokenId!.Value))
            disagreements.Add($"{role}: {Describe(idFile.Path, role, idFile.Ids, tokenizer)} but {Path.GetFileName(tokenFile.Path)} says {role}_token " +
                              $"\"{tokenFile.Content}\" (id {tokenId}); using {Path.GetFileName(idFile.Path)}'s {role} id, as transformers' generate() does");
        return chosen?.Ids ?? (tokenId is int id ? new[] { id } : null);
    }

    static string Describe(string path, string role, int[] ids, HfTokenizer tokenizer) =>
        $"{Path.GetFileName(path)} says {role}_token_id {(ids.Length == 1 ? ids[0] : "[" + string.Join(", ", ids) + "]")} " +
        $"({string.Join(", ", ids.Select(id => $"\"{tokenizer.IdToToken(id)}\""))})";
}
