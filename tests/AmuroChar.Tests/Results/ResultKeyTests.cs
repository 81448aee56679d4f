using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AmuroChar.Results;
using Xunit;

namespace AmuroChar.Tests.Results;

public class ResultKeyTests
{
    static ResultKey Sample() => ResultKey.Create("finetune").With("world_seed", 1).With("preset", "tiny")
        .With("dataset", "mnli/train").With("shots", 4).With("lr", 1e-3).With("code_version", 3)
        .WithJson("config", JsonNode.Parse("""{"batch": 8, "schedule": {"warmup": 0.1, "kind": "linear"}}"""));

    [Fact]
    public void Canonical_form_is_sorted_compact_and_invariant()
    {
        var key = ResultKey.Create("eval").With("shots", 4).With("lr", 0.001).With("name", "mnli/ä\"q");
        Assert.Equal("""{"kind":"eval","lr":0.001,"name":"mnli/ä\"q","shots":4}""", key.Canonical);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Canonical))), key.Hash);
        Assert.Equal(64, key.Hash.Length);
    }

    [Fact]
    public void Same_components_in_any_order_give_the_same_hash()
    {
        var reordered = ResultKey.Create("finetune")
            .WithJson("config", JsonNode.Parse("""{"schedule": {"kind": "linear", "warmup": 1e-1}, "batch": 8.0}"""))
            .With("code_version", 3).With("lr", 0.001).With("shots", 4).With("dataset", "mnli/train")
            .With("preset", "tiny").With("world_seed", 1);
        Assert.Equal(Sample().Hash, reordered.Hash);
        Assert.Equal(Sample(), reordered);
    }

    [Fact]
    public void Any_component_change_gives_a_different_hash()
    {
        string baseline = Sample().Hash;
        ResultKey[] variants =
        [
            ResultKey.Create("pretrain").With("world_seed", 1).With("preset", "tiny").With("dataset", "mnli/train")
                .With("shots", 4).With("lr", 1e-3).With("code_version", 3)
                .WithJson("config", JsonNode.Parse("""{"batch": 8, "schedule": {"warmup": 0.1, "kind": "linear"}}""")),
            Sample().With("format", "default"),
            ResultKey.Create("finetune").With("world_seed", 2).With("preset", "tiny").With("dataset", "mnli/train")
                .With("shots", 4).With("lr", 1e-3).With("code_version", 3)
                .WithJson("config", JsonNode.Parse("""{"batch": 8, "schedule": {"warmup": 0.1, "kind": "linear"}}""")),
            ResultKey.Create("finetune").With("world_seed", "1").With("preset", "tiny").With("dataset", "mnli/train")
                .With("shots", 4).With("lr", 1e-3).With("code_version", 3)
                .WithJson("config", JsonNode.Parse("""{"batch": 8, "schedule": {"warmup": 0.1, "kind": "linear"}}""")),
            ResultKey.Create("finetune").With("world_seed", 1).With("preset", "tiny").With("dataset", "mnli/train")
                .With("shots", 4).With("lr", 1.0000000001e-3).With("code_version", 3)
                .WithJson("config", JsonNode.Parse("""{"batch": 8, "schedule": {"warmup": 0.1, "kind": "linear"}}""")),
            ResultKey.Create("finetune").With("world_seed", 1).With("preset", "tiny").With("dataset", "mnli/train")
                .With("shots", 4).With("lr", 1e-3).With("code_version", 3)
                .WithJson("config", JsonNode.Parse("""{"batch": 8, "schedule": {"warmup": 0.2, "kind": "linear"}}""")),
        ];
        Assert.All(variants, v => Assert.NotEqual(baseline, v.Hash));
        Assert.Equal(variants.Length, variants.Select(v => v.Hash).Distinct().Count());
    }

    [Fact]
    public void Numbers_are_normalized_so_formatting_does_not_matter()
    {
        Assert.Equal(ResultKey.Create("k").With("x", 1), ResultKey.Create("k").With("x", 1.0));
        Assert.Equal(ResultKey.Create("k").With("x", 1e-5), ResultKey.Create("k").WithJson("x", JsonNode.Parse("0.00001")));
        Assert.Equal(ResultKey.Create("k").With("x", 0.1f), ResultKey.Create("k").WithJson("x", JsonNode.Parse("0.10000000149011612")));
        Assert.Throws<ArgumentException>(() => ResultKey.Create("k").With("x", double.NaN));
    }

    [Fact]
    public void Objects_are_keyed_by_their_serialized_form()
    {
        var a = ResultKey.Create("k").WithObject("config", new { Lr = 0.001, Steps = 100 });
        var b = ResultKey.Create("k").WithJson("config", JsonNode.Parse("""{"Steps":100,"Lr":1E-3}"""));
        Assert.Equal(a.Hash, b.Hash);
    }

    [Fact]
    public void Keys_round_trip_through_their_json_and_reference_other_keys_by_hash()
    {
        var checkpoint = ResultKey.Create("pretrain").With("world_seed", 1);
        var key = Sample().With("checkpoint", checkpoint);
        Assert.Equal($"\"{checkpoint.Hash}\"", key.Components["checkpoint"]);
        var back = ResultKey.FromJson(key.ToJson());
        Assert.Equal(key, back);
        Assert.Equal("finetune", back.Kind);
    }

    [Fact]
    public void Invalid_kinds_duplicates_and_kindless_json_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ResultKey.Create("Fine Tune"));
        Assert.Throws<ArgumentException>(() => ResultKey.Create("../x"));
        Assert.Throws<ArgumentException>(() => ResultKey.Create("k").With("a", 1).With("a", 2));
        Assert.Throws<ArgumentException>(() => ResultKey.Create("k").With("kind", "other"));
        Assert.Throws<FormatException>(() => ResultKey.FromJson("""{"a":1}"""));
        Assert.Throws<FormatException>(() => ResultKey.FromJson("[1]"));
    }
}
