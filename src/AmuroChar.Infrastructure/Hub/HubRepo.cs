using System.Text.RegularExpressions;

namespace AmuroChar.Hub;

public enum HubRepoType { Model, Dataset }

/// <summary>A repository on the Hub: <c>org/name</c> (or a bare legacy name) of a model or a dataset.</summary>
public sealed partial record HubRepo
{
    public HubRepoType Type { get; }
    public string Id { get; }

    public HubRepo(HubRepoType type, string id)
    {
        if (!IdPattern().IsMatch(id) || id.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"'{id}' is not a Hub repository id (expected org/name, letters, digits, '-', '_', '.')", nameof(id));
        Type = type;
        Id = id;
    }

    public static HubRepo Model(string id) => new(HubRepoType.Model, id);
    public static HubRepo Dataset(string id) => new(HubRepoType.Dataset, id);

    /// <summary>The API's collection name, also the first part of the cache folder name.</summary>
    public string Kind => Type == HubRepoType.Model ? "models" : "datasets";

    /// <summary>The cache folder, as huggingface_hub names it: <c>models--org--name</c>.</summary>
    public string FolderName => Kind + "--" + Id.Replace("/", "--", StringComparison.Ordinal);

    /// <summary>Where files are resolved: models at the root of the endpoint, datasets under <c>/datasets</c>.</summary>
    public string ResolvePrefix => Type == HubRepoType.Model ? Id : "datasets/" + Id;

    public override string ToString() => Type == HubRepoType.Model ? Id : "dataset " + Id;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?$")]
    private static partial Regex IdPattern();
}
