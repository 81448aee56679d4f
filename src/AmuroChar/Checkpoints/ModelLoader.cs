using AmuroChar.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace AmuroChar.Checkpoints;

/// <summary>Opens a Hugging Face model directory as an <see cref="OlmoForCausalLM"/>: config first, then the weights
/// streamed into the parameters (validated before any byte is written, so a bad directory never half-loads).</summary>
public static class ModelLoader
{
    public static OlmoForCausalLM Load(string directory, Device? device = null)
    {
        var config = HfModelDirectory.LoadConfig(directory);
        var model = new OlmoForCausalLM(config);
        try
        {
            HfModelDirectory.LoadInto(directory, model.StateDict(), config);
            if (device is not null && device.type != DeviceType.CPU) model.to(device);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
