using AmuroChar.Model;

namespace AmuroChar.Bench;

// How a training job stores its numbers is the model's Precision (AmuroChar.Model): fp32, or bf16 autocast with fp32
// master weights as Hugging Face's Trainer runs bf16=True. The planner plans for GPUs, where auto means bf16-mixed.

/// <summary>Bytes of one training job, by what holds them.</summary>
public sealed record TrainingMemory(long Weights, long Gradients, long OptimizerState, long Activations)
{
    public long Total => Weights + Gradients + OptimizerState + Activations;
}

/// <summary>
/// The planner's and the bench's formulas, in one place: parameters, FLOPs and training memory of a decoder of any
/// family, described by its <see cref="ModelArchitecture"/> (OLMo's or GPT-NeoX's). Estimates, not measurements;
/// <c>CostModelTests</c> checks them against what TorchSharp allocates and runs at tiny sizes on CPU.
/// </summary>
public static class CostModel
{
    /// <summary>Exact: counted from the family's one definition of its tensors.</summary>
    public static long Parameters(ModelArchitecture c) => c.Parameters;

    /// <summary><see cref="ModelArchitecture.MatmulParameters"/>: all but an untied input embedding.</summary>
    public static long MatmulParameters(ModelArchitecture c) => c.MatmulParameters;

    /// <summary>
    /// Training FLOPs per token: 6N (forward 2N, backward 4N; Kaplan et al. 2020, "Scaling Laws for Neural Language
    /// Models", §2.1) plus the attention products N does not count, QKᵀ and softmax·V: 2·2·L·s·d forward, ×3 with the
    /// backward, i.e. 12·L·s·d (Chowdhery et al. 2022, "PaLM", appendix B). Counted over the full s×s square, as the
    /// math attention path computes it.
    /// </summary>
    public static double TrainFlopsPerToken(ModelArchitecture c, int sequence) =>
        6.0 * c.MatmulParameters + 12.0 * c.Layers * sequence * c.AttentionWidth;

    /// <summary>FLOPs of what <paramref name="work"/> counted (a difference of two <see cref="ComputeLedger"/> readings):
    /// each forward position at <see cref="ForwardFlopsPerToken"/> of the keys it attended to, each backward position at
    /// twice that (so a training position costs <see cref="TrainFlopsPerToken"/>, as above).</summary>
    public static double Flops(ModelArchitecture c, ComputeLedger.Reading work) =>
        2.0 * c.MatmulParameters * (work.ForwardTokens + 2.0 * work.BackwardTokens)
        + 4.0 * c.Layers * c.AttentionWidth * (work.ForwardAttended + 2.0 * work.BackwardAttended);

    /// <summary>Forward-only FLOPs per token (scoring a prompt, or one generated token with <paramref name="context"/>
    /// tokens cached): 2N + 4·L·context·d, one third of the training cost.</summary>
    public static double ForwardFlopsPerToken(ModelArchitecture c, int context) =>
        2.0 * c.MatmulParameters + 4.0 * c.Layers * context * c.AttentionWidth;

    /// <summary>
    /// Memory of one training step with AdamW at batch <paramref name="batch"/> × <paramref name="sequence"/> tokens.
    /// <list type="bullet">
    /// <item>Weights: fp32, 4N. Under bf16 autocast the fp32 weights are the master copy and autocast keeps a bf16
    /// copy of each weight from the forward until its backward: 4N + 2N.</item>
    /// <item>Gradients: 4N in both cases (autocast's gradients flow back into the fp32 parameters; this is not the
    /// 2-byte-gradient scheme of Rajbhandari et al. 2020, "ZeRO", §3, which totals 16N without activations).</item>
    /// <item>AdamW: exp_avg and exp_avg_sq, fp32, 8N (torch.optim.AdamW; its step counters are scalars).</item>
    /// <item>Activations: <see cref="Activations"/>.</item>
    /// </list>
    /// </summary>
    public static TrainingMemory Training(ModelArchitecture c, int batch, int sequence, Precision precision, bool checkpointing)
    {
        long n = Parameters(c);
        long weights = precision == Precision.Fp32 ? 4 * n : 6 * n;
        return new TrainingMemory(weights, 4 * n, 8 * n, Activations(c, batch, sequence, precision, checkpointing));
    }

    /// <summary>
    /// Bytes autograd keeps for the backward pass, counted the way Korthikanti et al. 2022 ("Reducing Activation
    /// Recomputation in Large Transformer Models", §4.1, eq. 1: sbh·(34 + 5as/h) for GPT) count them, redone for an
    /// decoder layer without dropout (OLMo and Pythia train without it, so no masks) and an MLP of width f.
    /// Per layer, with e bytes per activation (4 fp32, 2 bf16):
    /// <list type="bullet">
    /// <item>the two LayerNorm inputs, i.e. the residual stream: 2·sbh, always fp32 (the residual stream stays fp32 under
    /// autocast, and LayerNorm computes in fp32; GPT-NeoX's parallel residual feeds both norms the same input, which
    /// this counts twice, an overestimate of sbh·4 per layer);</item>
    /// <item>the input of q/k/v (shared or fused), rotated q and k, v, the input of the output projection, the input of
    /// the MLP: 6·sbh·e;</item>
    /// <item>the softmax output, read again by softmax·V: a·s²·b·e (the math path; a fused flash kernel keeps only
    /// its log-sum-exp, which removes this term);</item>
    /// <item>the MLP's intermediate tensors, <see cref="ModelArchitecture.MlpSavedTensors"/>·sbf·e: OLMo's SwiGLU keeps
    /// gate output, silu(gate), up output and their product (4); GPT-NeoX's GELU MLP the up output and the GELU's (2).</item>
    /// </list>
    /// The head keeps fp32 logits and cross-entropy's log-softmax: 2·4·bsV, often the largest single term at OLMo's
    /// 50,304-row vocabulary (Pythia's too). With activation checkpointing (Hugging Face's, per decoder layer) only each layer's fp32
    /// input is kept (4·sbh·L) and one layer's activations exist again while it is recomputed.
    /// </summary>
    public static long Activations(ModelArchitecture c, int batch, int sequence, Precision precision, bool checkpointing)
    {
        long e = precision == Precision.Fp32 ? 4 : 2;
        long sbh = (long)sequence * batch * c.HiddenSize, sbf = (long)sequence * batch * c.IntermediateSize;
        long attentionScores = (long)c.AttentionHeads * sequence * sequence * batch;
        long perLayer = 2 * sbh * 4 + 6 * sbh * e + attentionScores * e + c.MlpSavedTensors * sbf * e;
        long head = sbh * 4 + 2 * 4L * batch * sequence * c.VocabSize;   // final LayerNorm input + logits + log-softmax
        long layers = checkpointing ? c.Layers * sbh * 4 + perLayer : c.Layers * perLayer;
        return layers + head;
    }
}
