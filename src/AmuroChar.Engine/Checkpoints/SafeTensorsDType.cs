using TorchSharp;

namespace AmuroChar.Checkpoints;

/// <summary>
/// The safetensors element types this project reads and writes. The numeric values follow the reference
/// implementation's <c>Dtype</c> enum order (increasing alignment), which its writer uses to lay tensors out:
/// descending dtype, then name. Unsigned 16/32/64-bit and 8-bit float types have no TorchSharp counterpart and are
/// rejected as unsupported.
/// </summary>
public enum SafeTensorsDType
{
    BOOL = 0,
    U8 = 1,
    I8 = 2,
    I16 = 3,
    F16 = 4,
    BF16 = 5,
    I32 = 6,
    F32 = 7,
    F64 = 8,
    I64 = 9,
}

public static class SafeTensorsDTypes
{
    public static int SizeInBytes(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.BOOL or SafeTensorsDType.U8 or SafeTensorsDType.I8 => 1,
        SafeTensorsDType.I16 or SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        SafeTensorsDType.I32 or SafeTensorsDType.F32 => 4,
        SafeTensorsDType.F64 or SafeTensorsDType.I64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static torch.ScalarType ToScalarType(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.BOOL => torch.ScalarType.Bool,
        SafeTensorsDType.U8 => torch.ScalarType.Byte,
        SafeTensorsDType.I8 => torch.ScalarType.Int8,
        SafeTensorsDType.I16 => torch.ScalarType.Int16,
        SafeTensorsDType.F16 => torch.ScalarType.Float16,
        SafeTensorsDType.BF16 => torch.ScalarType.BFloat16,
        SafeTensorsDType.I32 => torch.ScalarType.Int32,
        SafeTensorsDType.F32 => torch.ScalarType.Float32,
        SafeTensorsDType.F64 => torch.ScalarType.Float64,
        SafeTensorsDType.I64 => torch.ScalarType.Int64,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static SafeTensorsDType? FromScalarType(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Bool => SafeTensorsDType.BOOL,
        torch.ScalarType.Byte => SafeTensorsDType.U8,
        torch.ScalarType.Int8 => SafeTensorsDType.I8,
        torch.ScalarType.Int16 => SafeTensorsDType.I16,
        torch.ScalarType.Float16 => SafeTensorsDType.F16,
        torch.ScalarType.BFloat16 => SafeTensorsDType.BF16,
        torch.ScalarType.Int32 => SafeTensorsDType.I32,
        torch.ScalarType.Float32 => SafeTensorsDType.F32,
        torch.ScalarType.Float64 => SafeTensorsDType.F64,
        torch.ScalarType.Int64 => SafeTensorsDType.I64,
        _ => null,
    };

    /// <summary>Parses the header's dtype string; case-sensitive, as the reference implementation is.</summary>
    public static SafeTensorsDType? Parse(string name) =>
        Enum.TryParse<SafeTensorsDType>(name, ignoreCase: false, out var dtype) && Enum.IsDefined(dtype) && name == dtype.ToString()
            ? dtype
            : null;

    /// <summary>Loading converts only between floating-point types (F16/BF16/F32/F64); other types must match exactly.</summary>
    public static bool CanConvert(torch.ScalarType from, torch.ScalarType to) =>
        from == to || (IsFloatingPoint(from) && IsFloatingPoint(to));

    public static bool IsFloatingPoint(torch.ScalarType type) =>
        type is torch.ScalarType.Float16 or torch.ScalarType.BFloat16 or torch.ScalarType.Float32 or torch.ScalarType.Float64;
}
