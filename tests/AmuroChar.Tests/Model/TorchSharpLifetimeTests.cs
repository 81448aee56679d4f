using System.Reflection;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Model;

/// <summary>
/// TorchSharp as this repository runs it (build/TorchSharpKeepAlive.cs) keeps every argument alive through its native
/// call. Stock TorchSharp 0.107 does not: with another thread collecting, each of these loops fails within the first
/// few thousand operations with "Unknown scalar type" or "toLong at Scalar.h:140" (a temporary Scalar or Tensor
/// finalized while libtorch reads it), which is how a findings run in CI died. The loops are the patterns the suite
/// uses: an operator with a number, a number converted to a Scalar argument, a temporary tensor outside a dispose
/// scope, and an AdamW step.
/// </summary>
public sealed class TorchSharpLifetimeTests
{
    const int Operations = 30_000;

    [Fact]
    public void The_loaded_TorchSharp_is_the_copy_that_keeps_arguments_alive()
    {
        var sub = typeof(Tensor).GetMethod(nameof(Tensor.sub), [typeof(Scalar)])!;
        var keepAlive = typeof(GC).GetMethod(nameof(GC.KeepAlive))!;
        Assert.True(Calls(sub, keepAlive),
            $"{typeof(Tensor).Assembly.Location} is TorchSharp as packaged: the build did not swap in the copy that " +
            "build/TorchSharpKeepAlive.cs writes (see Directory.Build.targets, KeepTorchSharpArgumentsAlive)");
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("scalar argument")]
    [InlineData("tensor outside a scope")]
    [InlineData("AdamW step")]
    public void Temporaries_survive_a_collection_during_the_native_call(string pattern)
    {
        using var ints = ones(4, dtype: ScalarType.Int64);
        using var floats = ones(4);
        using var linear = nn.Linear(4, 4);
        using var optimizer = optim.AdamW(linear.parameters(), lr: 1e-3, weight_decay: 0.1);
        Action operation = pattern switch
        {
            "operator" => () => { using var scope = NewDisposeScope(); _ = ints - 1; },
            "scalar argument" => () => { using var scope = NewDisposeScope(); _ = ints.clamp_min(0); },
            "tensor outside a scope" => () => { using var r = floats.add(floats * 2); },
            "AdamW step" => () =>
            {
                using var _ = NewDisposeScope();
                optimizer.zero_grad();
                linear.forward(floats).sum().backward();
                optimizer.step();
            },
            _ => throw new ArgumentException(pattern),
        };
        int count = pattern == "AdamW step" ? Operations / 10 : Operations;

        bool stop = false;
        var collector = new Thread(() =>
        {
            while (!Volatile.Read(ref stop)) { GC.Collect(); GC.WaitForPendingFinalizers(); }
        });
        collector.Start();
        int done = 0;
        try
        {
            for (; done < count; done++) operation();
        }
        catch (Exception e)
        {
            Assert.Fail($"{pattern}: failed after {done} of {count} operations while another thread collected: {e.Message.Split('\n')[0]}");
        }
        finally
        {
            Volatile.Write(ref stop, true);
            collector.Join();
        }
    }

    // True if the method's IL has a call whose token resolves to the given method.
    static bool Calls(MethodInfo method, MethodInfo callee)
    {
        byte[] il = method.GetMethodBody()!.GetILAsByteArray()!;
        for (int i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != 0x28) continue;   // call <token>
            int token = BitConverter.ToInt32(il, i + 1);
            try
            {
                if (method.Module.ResolveMethod(token) is MethodInfo m && m == callee) return true;
            }
            catch (ArgumentException) { }   // the byte was an operand, not an opcode
        }
        return false;
    }
}
