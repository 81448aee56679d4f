namespace AmuroChar.Tasks.RealData;

/// <summary>The schema mappings, by name. Built on first use, after every part of this partial class is initialized.</summary>
internal static partial class HfSchemas
{
    static readonly Lazy<IReadOnlyList<HfSchema>> _all = new(() => [.. Generation(), .. Classification(), .. MultipleChoice()]);

    public static IReadOnlyList<HfSchema> All => _all.Value;

    public static HfSchema Get(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"unknown dataset schema '{name}'; valid schemas: {string.Join(", ", All.Select(s => s.Name))}", nameof(name));
}
