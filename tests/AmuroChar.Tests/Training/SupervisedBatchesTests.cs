using AmuroChar.Tests.Shared;
using AmuroChar.Training;
using Xunit;
using T = AmuroChar.Tasks.Tasks;

namespace AmuroChar.Tests.Training;

public class SupervisedBatchesTests
{
    const int Pad = 1;

    static SupervisedExample Example(int promptLength, int completionLength, int offset) =>
        new(Enumerable.Range(100 + offset, promptLength).ToArray(), Enumerable.Range(200 + offset, completionLength).Append(0).ToArray());

    [Fact]
    public void Labels_mask_the_prompt_and_the_padding_and_are_the_next_token_elsewhere()
    {
        SupervisedExample[] batch = [Example(5, 3, 0), Example(2, 1, 10), Example(7, 6, 20)];
        var (inputs, labels) = SupervisedBatches.Tensors(batch, Pad);
        int width = batch.Max(e => e.Length) - 1;
        Assert.Equal(new long[] { 3, width }, inputs.shape);
        Assert.Equal(new long[] { 3, width }, labels.shape);
        var ids = inputs.data<long>().ToArray();
        var lab = labels.data<long>().ToArray();

        for (int b = 0; b < batch.Length; b++)
        {
            int[] all = [.. batch[b].Prompt, .. batch[b].Completion];
            int promptLength = batch[b].Prompt.Length;
            int completionPositions = 0;
            for (int t = 0; t < width; t++)
            {
                long input = ids[b * width + t], label = lab[b * width + t];
                if (t < all.Length - 1)
                {
                    Assert.Equal(all[t], input);
                    if (t + 1 < promptLength) Assert.Equal(SupervisedBatches.IgnoreIndex, label);   // predicting a prompt token
                    else { Assert.Equal(all[t + 1], label); completionPositions++; }
                }
                else
                {
                    Assert.Equal(Pad, input);                                                     // right padding
                    Assert.Equal(SupervisedBatches.IgnoreIndex, label);
                }
            }
            // Exactly the completion is learned, its final EOS included.
            Assert.Equal(batch[b].Completion.Length, completionPositions);
            Assert.Equal(0, lab.Skip(b * width).Take(width).Last(l => l != SupervisedBatches.IgnoreIndex));
        }
    }

    [Fact]
    public void An_encoded_example_is_the_rendered_prompt_then_the_answer_and_EOS()
    {
        var tok = MicroFixtures.Tokenizer;
        var item = MicroFixtures.Nli(3).Examples[1];
        var e = SupervisedExample.From(T.Nli, item, "default", tok, maxLength: 128);
        Assert.Equal(tok.Encode(T.Nli.RenderPrompt(item, "default")), e.Prompt);
        Assert.Equal(tok.EosId, e.Completion[^1]);
        Assert.Equal(" " + item.Target, tok.Decode(e.Completion[..^1]));

        // Too long: the prompt is cut from the left, keeping the answer cue; the completion is kept whole.
        var cut = SupervisedExample.From(T.Nli, item, "default", tok, maxLength: 8);
        Assert.Equal(8, cut.Length);
        Assert.Equal(e.Completion, cut.Completion);
        Assert.Equal(e.Prompt[^(8 - e.Completion.Length)..], cut.Prompt);
    }

    [Fact]
    public void The_plan_is_deterministic_per_seed_and_covers_every_example_once_per_epoch()
    {
        var examples = Enumerable.Range(0, 45).Select(i => Example(1 + i % 7, 1 + i % 3, i)).ToList();
        var a = SupervisedBatches.Plan(examples, batchSize: 4, epochs: 3, seed: 42);
        var b = SupervisedBatches.Plan(examples, batchSize: 4, epochs: 3, seed: 42);
        string Ids(IEnumerable<SupervisedExample> xs) => string.Join(",", xs.Select(x => examples.IndexOf(x)));
        Assert.Equal(a.Select(Ids), b.Select(Ids));
        var c = SupervisedBatches.Plan(examples, batchSize: 4, epochs: 3, seed: 43);
        Assert.NotEqual(a.Select(Ids), c.Select(Ids));

        Assert.All(a, batch => Assert.InRange(batch.Length, 1, 4));
        Assert.Equal(0, a.Count % 3);
        int perEpoch = a.Count / 3;
        var epochs = Enumerable.Range(0, 3).Select(k => a.Skip(k * perEpoch).Take(perEpoch).SelectMany(x => x).ToList()).ToList();
        foreach (var epoch in epochs)
        {
            Assert.Equal(examples.Count, epoch.Count);
            Assert.Equal(examples.Count, epoch.Distinct(ReferenceEqualityComparer.Instance).Count());
        }
        // Each epoch is shuffled anew.
        Assert.NotEqual(Ids(epochs[0]), Ids(epochs[1]));
    }
}
