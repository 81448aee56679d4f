using AmuroChar.Tasks;
using AmuroChar.Tokenization;
using static TorchSharp.torch;

namespace AmuroChar.Training;

/// <summary>A tokenized prompt/completion pair: the loss is taken on the completion (which ends with EOS) only.</summary>
public sealed record SupervisedExample(int[] Prompt, int[] Completion)
{
    public int Length => Prompt.Length + Completion.Length;

    /// <summary>Encodes an example in a format: prompt = the rendered template, completion = delimiter + target + EOS.
    /// Too-long prompts are cut from the left, keeping the end where the answer cue is.</summary>
    /// <param name="eosId">The model's EOS (<see cref="Checkpoints.SpecialTokens.Eos"/>), which generation stops on;
    /// by default the tokenizer's.</param>
    public static SupervisedExample From(TaskDefinition task, TaskExample example, string format, HfTokenizer tokenizer, int maxLength, int? eosId = null)
    {
        int eos = eosId ?? tokenizer.EosId ?? throw new InvalidOperationException("the tokenizer has no EOS token");
        int[] prompt = tokenizer.Encode(task.RenderPrompt(example, format)).ToArray();
        int[] completion = [.. tokenizer.Encode(task.Continuation(example.Target)), eos];
        if (completion.Length >= maxLength) completion = completion[..(maxLength - 1)];
        if (prompt.Length + completion.Length > maxLength) prompt = prompt[^(maxLength - completion.Length)..];
        return new SupervisedExample(prompt, completion);
    }
}

/// <summary>
/// Batches of supervised examples, right-padded (so no attention mask is needed: causal attention never lets a real
/// token see padding after it), with labels −100 on prompt and padding positions. Each epoch is a seeded shuffle;
/// within windows of a few batches, examples are sorted by length so padding stays small.
/// </summary>
public static class SupervisedBatches
{
    public const long IgnoreIndex = -100;

    public static List<SupervisedExample[]> Plan(IReadOnlyList<SupervisedExample> examples, int batchSize, int epochs, long seed)
    {
        var batches = new List<SupervisedExample[]>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = examples.ToList();
            var rng = AmuroChar.Randomness.Rng.For(seed, $"sft-order/{epoch}");
            rng.Shuffle(order);
            var epochBatches = new List<SupervisedExample[]>();
            for (int w = 0; w < order.Count; w += batchSize * 8)
            {
                var window = order.Skip(w).Take(batchSize * 8).OrderBy(e => e.Length).ToList();
                for (int b = 0; b < window.Count; b += batchSize) epochBatches.Add(window.Skip(b).Take(batchSize).ToArray());
            }
            rng.Shuffle(epochBatches);
            batches.AddRange(epochBatches);
        }
        return batches;
    }

    /// <summary>(input ids [B, T], labels [B, T]) where labels[t] is the token to predict at position t.</summary>
    public static (Tensor Inputs, Tensor Labels) Tensors(SupervisedExample[] batch, int padId, Device? device = null)
    {
        int length = batch.Max(e => e.Length) - 1;
        var inputs = new long[batch.Length * length];
        var labels = new long[batch.Length * length];
        Array.Fill(inputs, padId);
        Array.Fill(labels, IgnoreIndex);
        for (int b = 0; b < batch.Length; b++)
        {
            int[] all = [.. batch[b].Prompt, .. batch[b].Completion];
            for (int t = 0; t < all.Length - 1; t++)
            {
                inputs[b * length + t] = all[t];
                if (t + 1 >= batch[b].Prompt.Length) labels[b * length + t] = all[t + 1];
            }
        }
        return (tensor(inputs, [batch.Length, length], device: device), tensor(labels, [batch.Length, length], device: device));
    }
}
