namespace Pep.Cli;

/// <summary>How to run this pep again: the apphost, or the dotnet host with pep.dll, as absolute paths.</summary>
internal static class PepExecutable
{
    public static IReadOnlyList<string> Argv { get; } = Find();

    private static string[] Find()
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        string dll = Path.Combine(AppContext.BaseDirectory, "pep.dll");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, dll] : [process];
    }
}
