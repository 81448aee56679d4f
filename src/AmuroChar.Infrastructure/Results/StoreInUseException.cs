namespace AmuroChar.Results;

/// <summary>A prune that would remove valid entries while a study holds the store (<see cref="ResultStore.HoldForStudy"/>).</summary>
public sealed class StoreInUseException(string root)
    : IOException($"store prune: {root} is in use by a running study (reproduce, pretrain, finetune, instruct, evaluate or a grid cell), "
                  + "whose entries must not vanish under it; run it again when the study has finished "
                  + "(without --all, --kind, --older-than or --stale it removes only invalid items and leftovers, which it can do now)")
{
    public string Root { get; } = root;
}
