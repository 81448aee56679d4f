using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace AmuroChar.Tests.Architecture;

/// <summary>
/// The library's layers, as the compiler enforces them: each project references only the layers below it, so an
/// engine type can't reach a finding, nor a finding the grid. The source hash that keys stored results follows the
/// same cut: it covers exactly the two layers that compute (engine, study), and nothing above or below them.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>Bottom to top; a project may reference only projects of a lower rank.</summary>
    static readonly Dictionary<string, int> Rank = new()
    {
        ["AmuroChar.Infrastructure"] = 0,
        ["AmuroChar.Engine"] = 1,
        ["AmuroChar.Study"] = 2, ["AmuroChar.Plots"] = 2, ["AmuroChar.Bench"] = 2,
        ["AmuroChar.Science"] = 3,
        ["AmuroChar.Orchestration"] = 4,
        ["amurochar"] = 5,
    };

    static readonly Dictionary<string, Type> Anchor = new()
    {
        ["AmuroChar.Infrastructure"] = typeof(AmuroChar.Results.ResultStore),
        ["AmuroChar.Engine"] = typeof(AmuroChar.Model.OlmoForCausalLM),
        ["AmuroChar.Study"] = typeof(AmuroChar.Study.StudyEngine),
        ["AmuroChar.Plots"] = typeof(AmuroChar.Plots.Figures),
        ["AmuroChar.Bench"] = typeof(AmuroChar.Bench.CostModel),
        ["AmuroChar.Science"] = typeof(AmuroChar.Findings.Finding),
        ["AmuroChar.Orchestration"] = typeof(AmuroChar.Running.StudyRunner),
        ["amurochar"] = typeof(AmuroChar.Cli.AmuroCharApp),
    };

    public static TheoryData<string> Projects => new(Anchor.Keys);

    [Theory, MemberData(nameof(Projects))]
    public void A_project_references_only_the_layers_below_it(string project)
    {
        var assembly = Anchor[project].Assembly;
        Assert.Equal(project, assembly.GetName().Name);
        foreach (var reference in assembly.GetReferencedAssemblies().Where(r => Rank.ContainsKey(r.Name!)))
            Assert.True(Rank[reference.Name!] < Rank[project], $"{project} (layer {Rank[project]}) references {reference.Name} (layer {Rank[reference.Name!]})");
    }

    [Fact]
    public void Every_library_project_in_src_is_placed_in_a_layer()
    {
        string src = Path.Combine(Root(), "src");
        var projects = Directory.GetDirectories(src).Select(Path.GetFileName).Where(d => File.Exists(Path.Combine(src, d!, d + ".csproj"))).ToList();
        Assert.All(projects.Where(p => p != "AmuroChar.Cli"), p => Assert.True(Rank.ContainsKey(p!), $"src/{p} is in no layer of {nameof(LayeringTests)}"));
    }

    /// <summary>The build's hashes, recomputed here from the files themselves (the same rule as
    /// build/SourceTreeHash.cs: sorted relative paths, "path\nlength\nbytes" each): the study's covers the engine and
    /// the study, the engine's covers the engine; so editing a finding, a plot, the grid or the store keeps the store.</summary>
    [Theory]
    [InlineData("AmuroChar.Study", new[] { "AmuroChar.Engine", "AmuroChar.Study" })]
    [InlineData("AmuroChar.Engine", new[] { "AmuroChar.Engine" })]
    public void The_source_hash_covers_exactly_the_layers_that_compute(string project, string[] hashed)
    {
        string built = Anchor[project].Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AmuroChar.SourceHash").Value!;
        Assert.Equal(HashOf(hashed), built);
        Assert.Equal(built, project == "AmuroChar.Study" ? AmuroChar.Study.CodeVersion.SourceHash : built);
    }

    static string HashOf(IEnumerable<string> projects)
    {
        string src = Path.Combine(Root(), "src");
        var files = projects.SelectMany(p => Directory.EnumerateFiles(Path.Combine(src, p), "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
                .Where(r => r.Split('/') is var parts && parts[1] is not ("bin" or "obj")))
            .OrderBy(r => r, StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string relative in files)
        {
            byte[] bytes = File.ReadAllBytes(Path.Combine(src, relative));
            sha.AppendData(Encoding.UTF8.GetBytes($"{relative}\n{bytes.Length}\n"));
            sha.AppendData(bytes);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    static string Root() => AmuroChar.RepositoryRoot.Find() ?? throw new DirectoryNotFoundException("repository root (the test reads src/)");
}
