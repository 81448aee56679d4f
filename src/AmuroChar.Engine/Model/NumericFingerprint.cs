using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AmuroChar.Model;

/// <summary>
/// What this machine's libtorch computes, bit for bit, on the kernels the study uses at the study's shapes: a hash per
/// kernel family and one over them all.
/// <para>
/// Why measure instead of assume: whether two machines give one seed the same bits can't be read off their CPU flags.
/// Under the same caps an Intel Xeon (AVX-512, AMX) and this project's AMD EPYC computed different log-probabilities of
/// one model (MKL's AVX2 branch differs by vendor), and different pre-training even with MKL's vendor-neutral branch
/// (see docs/numerics.md). So baselines record the fingerprint they were made under, a run compares exactly only when
/// its own fingerprint is the same (<see cref="AmuroChar.Baselines.BaselinePlatform"/>), and result keys carry it, so a
/// store shared between machines never mixes their results.
/// </para>
/// <para>
/// The workload is written here with plain Torch operations on purpose, not with <see cref="OlmoForCausalLM"/>: it
/// measures the platform (CPU, libtorch, environment, thread count), so a change to this project's model code, which
/// the exact baseline rule must show as a diff, never changes the fingerprint and so never silently loosens that rule.
/// Its families, each at the tiny preset's shapes (hidden 128, 4 heads, feed-forward 352, vocabulary 1,536, 32 × 128
/// tokens): <c>init</c> (seeded normal fills), <c>gemm</c> (the three matmul layouts of a linear layer's forward and
/// backward), <c>elementwise</c> (layer norm, SiLU, rotary cos/sin, log-softmax over the vocabulary), <c>attention</c>
/// (causal scaled-dot-product attention, forward and backward), <c>train</c> (three AdamW steps of a one-block
/// transformer with gradient clipping, as pre-training and fine-tuning run them) and <c>generate</c> (greedy decoding
/// from the trained block). Each costs well under a second on 2 cores.
/// </para>
/// </summary>
public sealed record NumericFingerprint(string Digest, IReadOnlyDictionary<string, string> Families)
{
    /// <summary>Bumped by hand whenever the workload below changes: part of the digest, so fingerprints of two workloads
    /// never compare equal. (The cache is keyed by the engine's source hash as well, so it can't serve a stale one.)</summary>
    public const string WorkloadVersion = "fingerprint-3";

    const int Hidden = 128, Heads = 4, FeedForward = 352, Vocabulary = 1536, Batch = 32, Length = 128;

    /// <summary>The first 16 hex digits: what result keys and messages show.</summary>
    public string Short => Digest[..16];

    /// <summary>Runs the workload on <paramref name="device"/> at the current thread count.</summary>
    public static NumericFingerprint Compute(Device? device = null)
    {
        device ??= CPU;
        var families = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using (var scope = NewDisposeScope())
        {
            var generator = new Generator(20240601, device);
            Tensor Normal(params long[] shape) => normal(0, 0.02, shape, generator: generator, device: device);

            // init: what nn.init / CreateRandom do (ATen's vectorised normal fill).
            var weights = new[] { Normal(Vocabulary, Hidden), Normal(Hidden, 3 * Hidden), Normal(Hidden, Hidden), Normal(Hidden, 2 * FeedForward), Normal(FeedForward, Hidden) };
            families["init"] = Hash(weights);

            using (no_grad())
            {
                // gemm: y = x·W, dx = dy·Wᵀ, dW = xᵀ·dy at a linear layer's training shapes.
                Tensor x = Normal(Batch * Length, Hidden).mul(50), w = weights[3], dy = Normal(Batch * Length, 2 * FeedForward).mul(50);
                families["gemm"] = Hash(x.matmul(w), dy.matmul(w.t()), x.t().matmul(dy));

                // elementwise and row reductions: the vectorised kernels around the matmuls. (A whole-tensor sum is left
                // out: its parallel split follows the thread count, which the study keeps in a class of its own.)
                Tensor h = Normal(Batch, Length, Hidden).mul(50);
                Tensor angles = arange(Length, dtype: ScalarType.Float32, device: device).unsqueeze(1) *
                                pow(10000.0, arange(0, Hidden / Heads, 2, dtype: ScalarType.Float32, device: device).div(-(Hidden / Heads)));
                Tensor logits = F.layer_norm(h, [Hidden]).reshape(-1, Hidden).matmul(weights[0].t());
                families["elementwise"] = Hash(F.layer_norm(h, [Hidden], eps: 1e-5), F.silu(h), angles.cos(), angles.sin(),
                    F.log_softmax(logits, 1), h.square().mean([-1]), logits.exp().sum(-1));
            }

            // attention: causal SDPA and its gradients.
            var (q, k, v) = (Normal(8, Heads, Length, Hidden / Heads).mul(50).requires_grad_(), Normal(8, Heads, Length, Hidden / Heads).mul(50).requires_grad_(),
                             Normal(8, Heads, Length, Hidden / Heads).mul(50).requires_grad_());
            Tensor attended = F.scaled_dot_product_attention(q, k, v, is_casual: true);
            attended.square().sum().backward();
            families["attention"] = Hash(attended, q.grad!, k.grad!, v.grad!);

            // train and generate: one pre-norm transformer block with tied embeddings, three AdamW steps.
            var parameters = weights.Select(p => new TorchSharp.Modules.Parameter(p.clone())).ToArray();
            using var optimizer = optim.AdamW(parameters, lr: 1e-3, beta1: 0.9, beta2: 0.95, weight_decay: 0.1);
            Tensor tokens = randint(2, Vocabulary, [Batch, Length + 1], generator: generator, device: device);
            for (int step = 0; step < 3; step++)
            {
                using var stepScope = NewDisposeScope();
                optimizer.zero_grad();
                Tensor stepLogits = Block(parameters, tokens[.., ..^1]);
                F.cross_entropy(stepLogits.reshape(-1, Vocabulary), tokens[.., 1..].reshape(-1)).backward();
                nn.utils.clip_grad_norm_(parameters, 1.0);
                optimizer.step();
            }
            families["train"] = Hash(parameters);

            using (no_grad())
            {
                // The argmax alone rarely moves with the last bit, so the step's log-probabilities are hashed too.
                Tensor sequence = tokens[..8, ..16], logProbs = empty(0, device: device);
                for (int i = 0; i < 8; i++)
                {
                    logProbs = Block(parameters, sequence)[.., -1, ..].log_softmax(-1);
                    sequence = cat([sequence, logProbs.argmax(-1, keepdim: true)], 1);
                }
                families["generate"] = Hash(sequence, logProbs);
            }
        }
        return FromFamilies(families);
    }

    /// <summary>The digest over the families (name=hash lines, ordinal order).</summary>
    public static NumericFingerprint FromFamilies(IReadOnlyDictionary<string, string> families)
    {
        var sorted = new SortedDictionary<string, string>(families.ToDictionary(), StringComparer.Ordinal);
        string lines = string.Concat(sorted.Select(p => $"{p.Key}={p.Value}\n"));
        return new NumericFingerprint(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(WorkloadVersion + "\n" + lines))), sorted);
    }

    /// <summary>The families whose hashes differ between two fingerprints (and those only one has).</summary>
    public IReadOnlyList<string> DifferingFamilies(NumericFingerprint other) => Differing(Families, other.Families);

    /// <summary>The family names whose hashes differ between two family maps (and those only one has), in order.</summary>
    public static IReadOnlyList<string> Differing(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Where(f => !a.TryGetValue(f, out var x) || !b.TryGetValue(f, out var y) || x != y).ToList();

    /// <summary>Embedding → layer norm → causal attention (no rotary: its cos/sin are in "elementwise") → SwiGLU → tied logits.</summary>
    static Tensor Block(IReadOnlyList<Tensor> p, Tensor ids)
    {
        long b = ids.shape[0], t = ids.shape[1];
        Tensor x = p[0].index_select(0, ids.reshape(-1)).reshape(b, t, Hidden);
        Tensor qkv = F.layer_norm(x, [Hidden]).matmul(p[1]).view(b, t, 3, Heads, Hidden / Heads).permute(2, 0, 3, 1, 4);
        x = x + F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], is_casual: t > 1).transpose(1, 2).reshape(b, t, Hidden).matmul(p[2]);
        Tensor[] gateUp = F.layer_norm(x, [Hidden]).matmul(p[3]).chunk(2, -1);
        x = x + (F.silu(gateUp[0]) * gateUp[1]).matmul(p[4]);
        return F.layer_norm(x, [Hidden]).matmul(p[0].t());
    }

    /// <summary>SHA-256 of the tensors' bytes (on the CPU, contiguous), first 16 hex digits.</summary>
    static string Hash(params Tensor[] tensors)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var t in tensors)
        {
            using var cpu = t.detach().cpu().contiguous();
            sha.AppendData(Encoding.UTF8.GetBytes($"{cpu.dtype}:{string.Join(',', cpu.shape)};"));
            sha.AppendData(cpu.bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}
