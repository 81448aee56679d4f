using TorchSharp;
using Xunit;
namespace AmuroChar.Tests;
public class SmokeTests
{
    [Fact]
    public void TorchLoads() => Assert.Equal(9f, torch.ones(3, 3).sum().item<float>());
}
