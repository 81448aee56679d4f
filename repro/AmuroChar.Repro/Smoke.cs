using Xunit;
namespace AmuroChar.Repro;
public class Smoke { [Fact] public void Builds() => Assert.Equal(2, 1 + 1); }
