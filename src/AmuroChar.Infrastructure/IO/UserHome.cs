namespace AmuroChar;

/// <summary>
/// The user's home folder, for defaults under <c>~/.cache</c>. .NET answers "" when it can't tell (HOME relative, or
/// unset for a user without a passwd entry), and a default built on "" would land in the current folder; this refuses
/// instead and names the variables that say where to go.
/// </summary>
public static class UserHome
{
    /// <param name="alternatives">The variables that would make the default unnecessary, for the message.</param>
    public static string Folder(string alternatives)
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home) || !Path.IsPathRooted(home))
            throw new InvalidOperationException(
                $"no home folder (HOME is '{Environment.GetEnvironmentVariable("HOME")}'), so there is no default under ~/.cache; set HOME to an absolute path, or {alternatives}");
        return home;
    }
}
