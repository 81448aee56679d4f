using AmuroChar.Checkpoints;
using AmuroChar.Model;
using AmuroChar.Tests.Shared;
using Xunit;
using static TorchSharp.torch;

namespace AmuroChar.Tests.Checkpoints;

/// <summary>Issue 18: the family of a model directory is chosen once, by config.json's model_type, and everything after
/// takes <see cref="ICausalLM"/>.</summary>
public class ModelFamiliesTests
{
    [Fact]
    public void An_OLMo_directory_loads_and_saves_through_its_family_bitwise()
    {
        using var dir = new TempDirectory();
        using var model = MicroFixtures.Model(seed: 4);
        ModelFamilies.Of(model).Save(dir.File("a"), model);
        Assert.Same(ModelFamilies.Olmo, ModelFamilies.Of(dir.File("a")));
        using var loaded = ModelLoader.Load(dir.File("a"));
        Assert.Equal("olmo", loaded.ModelType);
        Assert.Equal(model.Shape, loaded.Shape);
        using var ids = tensor(new long[] { 3, 9, 27, 81 }).unsqueeze(0);
        using var _ = no_grad();
        Assert.Equal(model.Forward(ids).data<float>().ToArray(), loaded.Forward(ids).data<float>().ToArray());
    }

    [Fact]
    public void An_unknown_model_type_is_an_error_naming_the_file_and_the_known_families()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("m"));
        File.WriteAllText(Path.Combine(dir.File("m"), "config.json"), """{"model_type": "mamba"}""");
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(dir.File("m")));
        Assert.Contains(Path.Combine(dir.File("m"), "config.json"), e.Message);
        Assert.Contains("'mamba'", e.Message);
        Assert.Contains("olmo", e.Message);
        Assert.Throws<ArgumentException>(() => ModelFamilies.For("mamba"));
    }
}
