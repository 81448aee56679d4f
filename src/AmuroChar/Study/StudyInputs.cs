using AmuroChar.Results;
using AmuroChar.Tasks;
using AmuroChar.Tokenization;

namespace AmuroChar.Study;

/// <summary>
/// What a study runs over: the checkpoints (pre-training steps, each a Hugging Face model directory), the tokenizer,
/// and the datasets. The tiny and small scales produce them (world → corpus → tokenizer → pre-training); the paper
/// scale reads OLMo-1B-hf revisions and dataset files from disk. Everything after this point is one code path.
/// </summary>
public interface IStudyInputs
{
    string ScaleName { get; }
    Scale Scale { get; }
    HfTokenizer Tokenizer { get; }
    DatasetCatalog Datasets { get; }
    IReadOnlyList<int> Checkpoints { get; }
    string CheckpointDirectory(int step);

    /// <summary>A key naming exactly these inputs: results computed from them are stored under it.</summary>
    ResultKey Identity { get; }
}

/// <summary>Bump when a change alters what a stored result means (training, evaluation, data generation).</summary>
public static class CodeVersion
{
    public const string Current = "amurochar-2026.11.28-2";
}
