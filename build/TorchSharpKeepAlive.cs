// MSBuild task (compiled by RoslynCodeTaskFactory against netstandard2.0 and Mono.Cecil, see Directory.Build.targets).
//
// TorchSharp hands libtorch raw pointers: `THSTensor_sub_scalar(Handle, target.Handle)`. Once a method has read
// `target.Handle` the managed object is, to the JIT, dead, so a temporary argument (the Scalar made by `t - 1`, the
// Tensor made by `a * 2` in `b.add(a * 2)`) can be collected while the native call still runs; its finalizer frees
// the native value under libtorch's feet. A findings run died of exactly this ("Unknown scalar type", "toLong at
// Scalar.h:140") whenever another thread happened to trigger a collection; a test reproduces it in under a second
// (tests/AmuroChar.Tests/Model/TorchSharpLifetimeTests.cs). TorchSharp has not fixed it (dotnet/TorchSharp#1434 is
// open, and covers only operators).
//
// The fix is the one the runtime's own interop guidance prescribes: a callee that passes a managed object's native
// handle on keeps the object alive until it returns. This task writes a copy of TorchSharp.dll in which every method
// ends, on each return, with GC.KeepAlive of `this`, of every reference-type argument, and of every local of one of
// TorchSharp's handle types. GC.KeepAlive is a JIT intrinsic that only extends liveness, so nothing else changes:
// not one instruction that computes a value, and not the order of any native call. The task never writes its input.
using System;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Mono.Cecil;
using Mono.Cecil.Cil;

public class TorchSharpKeepAlive : Task
{
    [Required] public string Source { get; set; } = "";
    [Required] public string Destination { get; set; } = "";

    // Locals of these types hold native handles; other locals are plain managed data.
    static readonly string[] HandleTypes = { "TorchSharp.Scalar", "TorchSharp.torch/Tensor", "TorchSharp.Modules.Parameter" };

    public override bool Execute()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Destination)!);
            string temp = Destination + ".tmp";
            int methods;
            using (var module = ModuleDefinition.ReadModule(Source, new ReaderParameters { ReadSymbols = false }))
            {
                var gc = new TypeReference("System", "GC", module, module.TypeSystem.CoreLibrary);
                var keepAlive = new MethodReference("KeepAlive", module.TypeSystem.Void, gc) { HasThis = false };
                keepAlive.Parameters.Add(new ParameterDefinition(module.TypeSystem.Object));
                methods = 0;
                foreach (var type in module.GetTypes())
                    foreach (var method in type.Methods)
                        if (Weave(method, keepAlive)) methods++;
                module.Write(temp);
            }
            if (File.Exists(Destination)) File.Delete(Destination);   // netstandard2.0 has no Move(overwrite)
            File.Move(temp, Destination);
            Log.LogMessage(MessageImportance.Normal, $"TorchSharpKeepAlive: {Source} -> {Destination}: {methods} methods keep their arguments alive");
            return true;
        }
        catch (Exception e)
        {
            Log.LogError($"TorchSharpKeepAlive: cannot rewrite {Source}: {e.Message}");
            return false;
        }
    }

    static bool Weave(MethodDefinition method, MethodReference keepAlive)
    {
        if (!method.HasBody) return false;
        var body = method.Body;
        var kept = new System.Collections.Generic.List<Func<ILProcessor, Instruction>>();
        if (method.HasThis && !method.DeclaringType.IsValueType) kept.Add(il => il.Create(OpCodes.Ldarg, body.ThisParameter));
        foreach (var p in method.Parameters)
            if (IsReference(p.ParameterType)) kept.Add(il => il.Create(OpCodes.Ldarg, p));
        foreach (var v in body.Variables)
            if (HandleTypes.Contains(v.VariableType.FullName)) kept.Add(il => il.Create(OpCodes.Ldloc, v));
        if (kept.Count == 0) return false;

        LongBranches(body);   // the added instructions may push a short branch out of its range
        var il = body.GetILProcessor();
        foreach (var ret in body.Instructions.Where(i => i.OpCode == OpCodes.Ret).ToList())
        {
            // The `ret` instruction itself becomes the first load, so every branch to it (and any handler boundary that
            // names it) now lands on the keep-alive sequence; the return value, if any, stays below on the stack.
            var first = kept[0](il);
            ret.OpCode = first.OpCode;
            ret.Operand = first.Operand;
            var at = ret;
            at = Append(il, at, il.Create(OpCodes.Call, keepAlive));
            foreach (var load in kept.Skip(1))
            {
                at = Append(il, at, load(il));
                at = Append(il, at, il.Create(OpCodes.Call, keepAlive));
            }
            Append(il, at, il.Create(OpCodes.Ret));
        }
        return true;
    }

    // Mono.Cecil.Rocks has this as SimplifyMacros, but MSBuild may already have loaded another Cecil that lacks it.
    static void LongBranches(MethodBody body)
    {
        foreach (var i in body.Instructions)
            if (i.OpCode.OperandType == OperandType.ShortInlineBrTarget) i.OpCode = Long(i.OpCode);
    }

    static OpCode Long(OpCode op) => op.Code switch
    {
        Code.Br_S => OpCodes.Br, Code.Brfalse_S => OpCodes.Brfalse, Code.Brtrue_S => OpCodes.Brtrue,
        Code.Beq_S => OpCodes.Beq, Code.Bge_S => OpCodes.Bge, Code.Bgt_S => OpCodes.Bgt, Code.Ble_S => OpCodes.Ble,
        Code.Blt_S => OpCodes.Blt, Code.Bne_Un_S => OpCodes.Bne_Un, Code.Bge_Un_S => OpCodes.Bge_Un,
        Code.Bgt_Un_S => OpCodes.Bgt_Un, Code.Ble_Un_S => OpCodes.Ble_Un, Code.Blt_Un_S => OpCodes.Blt_Un,
        Code.Leave_S => OpCodes.Leave,
        _ => throw new InvalidOperationException($"no long form of {op}"),
    };

    static Instruction Append(ILProcessor il, Instruction after, Instruction added)
    {
        il.InsertAfter(after, added);
        return added;
    }

    // Objects only: value types would be boxed (and hold no handle), by-ref and pointer arguments are not objects,
    // and a generic parameter may be instantiated with a value type.
    static bool IsReference(TypeReference t) =>
        !t.IsValueType && !t.IsByReference && !t.IsPointer && !t.IsGenericParameter && !t.IsFunctionPointer && !t.IsPinned
        && t.FullName != "System.TypedReference";
}
