namespace AmuroChar;

/// <summary>Finds the AmuroChar checkout (the folder holding AmuroChar.sln) from the current directory or the program.</summary>
public static class RepositoryRoot
{
    public static string? Find() => FindFrom(Environment.CurrentDirectory) ?? FindFrom(AppContext.BaseDirectory);

    public static string? FindFrom(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AmuroChar.sln"))) return dir.FullName;
        return null;
    }
}
