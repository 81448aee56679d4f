using AmuroChar.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Model;

public class OlmoModelTests
{
    static OlmoForCausalLM Micro(long seed = 1, Action<OlmoConfig>? _ = null) =>
        OlmoForCausalLM.CreateRandom(OlmoConfig.Preset("micro"), seed);

    static Tensor RandomIds(long batch, long length, int vocab, long seed) =>
        randint(2, vocab, [batch, length], generator: new Generator((ulong)seed));

    [Fact]
    public void Parameter_names_are_the_Hugging_Face_state_dict_keys()
    {
        using var untied = Micro();
        var names = untied.StateDict().Keys.ToHashSet();
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", names);
        Assert.Contains("model.layers.1.self_attn.o_proj.weight", names);
        Assert.Contains("model.layers.0.mlp.gate_proj.weight", names);
        Assert.Contains("model.layers.0.mlp.up_proj.weight", names);
        Assert.Contains("model.layers.0.mlp.down_proj.weight", names);
        Assert.Contains("lm_head.weight", names);
        Assert.Equal(2 + 2 * 7, names.Count);   // embeddings, lm_head, 7 matrices per layer; LayerNorms have none

        using var tied = OlmoForCausalLM.CreateRandom(OlmoConfig.Preset("micro") with { TieWordEmbeddings = true }, 1);
        Assert.DoesNotContain("lm_head.weight", tied.StateDict().Keys);
    }

    [Fact]
    public void Grouped_kv_heads_have_smaller_key_and_value_projections()
    {
        var config = OlmoConfig.Preset("micro");
        using var m = Micro();
        var sd = m.StateDict();
        Assert.Equal(new long[] { config.KeyValueHeads * config.HeadDim, config.HiddenSize }, sd["model.layers.0.self_attn.k_proj.weight"].shape);
        Assert.Equal(new long[] { config.HiddenSize, config.HiddenSize }, sd["model.layers.0.self_attn.q_proj.weight"].shape);
    }

    [Fact]
    public void Random_init_is_deterministic_per_seed_and_zeroes_the_padding_row()
    {
        using var a = Micro(7);
        using var b = Micro(7);
        using var c = Micro(8);
        var wa = a.StateDict()["model.embed_tokens.weight"];
        Assert.True(wa.bytes.SequenceEqual(b.StateDict()["model.embed_tokens.weight"].bytes));
        Assert.False(wa.bytes.SequenceEqual(c.StateDict()["model.embed_tokens.weight"].bytes));
        Assert.Equal(0.0, wa[OlmoConfig.Preset("micro").PadTokenId!.Value].abs().sum().item<float>());
    }

    [Fact]
    public void Kv_cached_decoding_gives_the_logits_of_the_full_forward_pass()
    {
        using var scope = NewDisposeScope();
        using var m = Micro();
        m.eval();
        using var _ = no_grad();
        var ids = RandomIds(2, 20, 128, 3);
        var full = m.Forward(ids);

        using var cache = new KvCache(m.Shape, 2, 32, m.Device);
        var pieces = new List<Tensor> { m.Forward(ids[.., ..7], cache: cache) };       // prefill
        pieces.Add(m.Forward(ids[.., 7..9], cache: cache));                           // a chunk after a prefix
        for (int i = 9; i < 20; i++) pieces.Add(m.Forward(ids[.., i..(i + 1)], cache: cache));
        var incremental = cat(pieces.ToArray(), dim: 1);
        Assert.True(full.allclose(incremental, rtol: 1e-5, atol: 1e-5), $"max diff {(full - incremental).abs().max().item<float>()}");
    }

    [Fact]
    public void Left_padded_batch_gives_each_row_the_logits_it_has_alone()
    {
        using var scope = NewDisposeScope();
        using var m = Micro();
        using var _ = no_grad();
        var longRow = RandomIds(1, 12, 128, 4);
        var shortRow = RandomIds(1, 8, 128, 5);
        var pad = full([1, 4], 1L, ScalarType.Int64);
        var batch = cat([longRow, cat([pad, shortRow], 1)], 0);
        var mask = cat([ones(1, 12, ScalarType.Int64), cat([zeros(1, 4, ScalarType.Int64), ones(1, 8, ScalarType.Int64)], 1)], 0);

        var together = m.Forward(batch, mask);
        Assert.True(together[0].allclose(m.Forward(longRow)[0], rtol: 1e-5, atol: 1e-5));
        Assert.True(together[1, 4..].allclose(m.Forward(shortRow)[0], rtol: 1e-5, atol: 1e-5));

        // and the same continued through the cache, one token at a time
        using var cache = new KvCache(m.Shape, 2, 16, m.Device);
        m.Forward(batch, mask, cache);
        var next = RandomIds(2, 1, 128, 6);
        var stepped = m.Forward(next, ones(2, 1, ScalarType.Int64), cache);
        var aloneShort = m.Forward(cat([shortRow, next[1..2]], 1));
        Assert.True(stepped[1, 0].allclose(aloneShort[0, -1], rtol: 1e-5, atol: 1e-5));
        Assert.False(stepped[1, 0].isnan().any().item<bool>());
    }

    [Fact]
    public void Sequences_longer_than_the_position_table_are_refused()
    {
        using var m = Micro();
        var ids = zeros(1, m.Config.MaxPositionEmbeddings + 1, ScalarType.Int64);
        var e = Assert.Throws<ArgumentException>(() => m.Forward(ids));
        Assert.Contains("max_position_embeddings", e.Message);
    }

    [Fact]
    public void A_training_step_with_the_same_seed_gives_a_bitwise_identical_loss()
    {
        float Step()
        {
            using var scope = NewDisposeScope();
            TorchRuntime.SetThreads(2);
            using var m = Micro(11);
            var opt = optim.AdamW(m.parameters(), lr: 1e-3);
            var ids = RandomIds(4, 16, 128, 12);
            float last = 0;
            for (int i = 0; i < 3; i++)
            {
                using var stepScope = NewDisposeScope();
                opt.zero_grad();
                var logits = m.Forward(ids[.., ..^1]);
                var loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), ids[.., 1..].reshape(-1));
                loss.backward();
                opt.step();
                last = loss.item<float>();
            }
            return last;
        }
        float first = Step(), second = Step();
        Assert.Equal(BitConverter.SingleToInt32Bits(first), BitConverter.SingleToInt32Bits(second));
    }
}
