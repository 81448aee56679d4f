using AmuroChar.Tests.Shared;
using Xunit;

namespace AmuroChar.Tests.Hub;

/// <summary>Issue 21: with no usable home folder, the "default" Hub cache was made in the current folder. Now the
/// default is refused with the variables that say where to go, and nothing is created.</summary>
public sealed class HomeFolderTests
{
    [Fact]
    public void Without_a_home_folder_the_default_hub_cache_is_refused_by_name()
    {
        using var dir = new ScratchDirectory();
        var (code, _, error) = PaperCli.Run(new() { ["HOME"] = "relative-home", ["XDG_CACHE_HOME"] = null, ["HF_ENDPOINT"] = "http://127.0.0.1:9" },
            "hub", "download", "allenai/OLMo-1B-hf", "--revision", "main");
        Assert.Equal(2, code);
        Assert.Contains("no home folder", error);
        Assert.Contains("HF_HUB_CACHE", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(Path.Combine(Environment.CurrentDirectory, "huggingface")));
        Assert.False(Directory.Exists(Path.Combine(Environment.CurrentDirectory, ".cache")));
    }

    [Fact]
    public void A_usable_home_folder_gives_the_usual_default() =>
        Assert.Equal(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), AmuroChar.UserHome.Folder("x"));
}
