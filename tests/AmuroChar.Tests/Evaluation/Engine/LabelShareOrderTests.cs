using AmuroChar.Evaluation;
using AmuroChar.Results;
using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Evaluation.Engine;

/// <summary>`evaluate` printed label_share keys in label order when computed and sorted when read back from the
/// store (which writes keys sorted); a result must read the same both times.</summary>
public class LabelShareOrderTests
{
    [Theory]
    [InlineData(Methods.NextWord)]
    [InlineData(Methods.Generate)]
    public void A_computed_result_has_the_key_order_of_one_read_back_from_the_store(string method)
    {
        using var model = MicroFixtures.Model();
        var computed = new Evaluator(model, MicroFixtures.Tokenizer).Evaluate(MicroFixtures.Nli(6), null, new EvalSpec("default", method, 0));

        using var dir = new ScratchDirectory();
        var store = new ResultStore(dir.Sub("store"));
        var key = ResultKey.Create("eval").With("method", method);
        store.PutJson(key, computed, cancel: TestContext.Current.CancellationToken);
        Assert.True(store.TryGetJson<EvalResult>(key, out var readBack));

        Assert.Equal(readBack!.LabelShare.Keys, computed.LabelShare.Keys);
        Assert.Equal(readBack.Metrics.Keys, computed.Metrics.Keys);
        Assert.Equal(computed.LabelShare.Keys.Order(StringComparer.Ordinal), computed.LabelShare.Keys);
        Assert.Equal(4, computed.LabelShare.Count);   // three labels and "(none)"
    }
}
