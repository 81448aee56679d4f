using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AmuroChar.Model;

/// <summary>The numeric precision a model computes in. Parameters are fp32 under every setting.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Precision>))]
public enum Precision
{
    /// <summary>Everything in fp32: the CPU default, and what the tiny scale's baselines were made with.</summary>
    [JsonStringEnumMemberName("fp32")] Fp32,

    /// <summary>As <c>torch.autocast("cuda", dtype=torch.bfloat16)</c> around an fp32 model: matrix products in bf16,
    /// the rest in fp32 (see <see cref="MixedPrecision"/>).</summary>
    [JsonStringEnumMemberName("bf16-mixed")] Bf16Mixed,

    /// <summary>bf16-mixed on CUDA, fp32 anywhere else (the paper scale's setting).</summary>
    [JsonStringEnumMemberName("auto")] Auto,
}

/// <summary>
/// TorchSharp 0.107 has no autocast, so the model applies autocast's CUDA op lists itself. Under bf16-mixed, the ops
/// autocast runs in lower precision — linear, matmul/bmm and so scaled-dot-product attention — cast their inputs and
/// the fp32 master weights to bf16 on every call; the cast is differentiable, so gradients reach the fp32 parameters
/// as fp32 and the optimizer updates fp32 weights (bf16 needs no loss scaling). Everything else keeps the dtype of its
/// inputs, as under autocast: the embedding, the residual stream (fp32 + bf16 promotes to fp32), LayerNorm (computed in
/// fp32, as autocast and OlmoLayerNorm both do), the fp32 RoPE tables (a bf16 query times an fp32 cosine promotes to
/// fp32, as in transformers where the tables follow the fp32 hidden states), and SiLU (bf16 in, bf16 out). The
/// language-model head's bf16 logits are widened to fp32, exactly, because every consumer — log-softmax, cross
/// entropy — is on autocast's fp32 list and would widen them anyway.
/// </summary>
public static class MixedPrecision
{
    /// <summary>The precision actually used on <paramref name="device"/> (resolves <see cref="Precision.Auto"/>).</summary>
    public static Precision On(this Precision precision, Device device) =>
        precision != Precision.Auto ? precision : device.type == DeviceType.CUDA ? Precision.Bf16Mixed : Precision.Fp32;

    public static string Name(this Precision precision) => precision switch
    {
        Precision.Fp32 => "fp32",
        Precision.Bf16Mixed => "bf16-mixed",
        _ => "auto",
    };

    public static Precision Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "fp32" => Precision.Fp32,
        "bf16-mixed" => Precision.Bf16Mixed,
        "auto" => Precision.Auto,
        _ => throw new ArgumentException($"unknown precision '{name}'; valid: fp32, bf16-mixed, auto"),
    };

    /// <summary>x · Wᵀ in the precision's matmul dtype.</summary>
    internal static Tensor Linear(Tensor x, Tensor weight, Precision precision) =>
        precision == Precision.Bf16Mixed ? F.linear(x.to(ScalarType.BFloat16), weight.to(ScalarType.BFloat16)) : F.linear(x, weight);

    /// <summary>The layer's x · Wᵀ + b in the precision's matmul dtype (autocast casts the bias too; OLMo has none).</summary>
    internal static Tensor Linear(Linear layer, Tensor x, Precision precision) =>
        precision != Precision.Bf16Mixed ? layer.forward(x)
        : layer.bias is null ? Linear(x, layer.weight!, precision)
        : F.linear(x.to(ScalarType.BFloat16), layer.weight!.to(ScalarType.BFloat16), layer.bias.to(ScalarType.BFloat16));

    /// <summary>Attention's inputs in the precision's matmul dtype (autocast casts all three to the lowest).</summary>
    internal static Tensor ForMatmul(Tensor x, Precision precision) =>
        precision == Precision.Bf16Mixed && x.dtype != ScalarType.BFloat16 ? x.to(ScalarType.BFloat16) : x;

    /// <summary>Logits as the fp32 ops that consume them see them.</summary>
    internal static Tensor Logits(Tensor logits) => logits.dtype == ScalarType.Float32 ? logits : logits.to(ScalarType.Float32);
}
