using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

/// <summary>
/// The .NET startup hook of every session host (<c>DOTNET_STARTUP_HOOKS</c> names this assembly). .NET runs it
/// before pwsh's own Main: it sets the host's UI culture, and a warm host does its slow start-up there before
/// anyone logs in. In a host started without <c>PEP_WARM_CONFIGURATION</c> it does no warm-up.
/// </summary>
/// <remarks>.NET finds the hook by this exact name, outside any namespace.</remarks>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = ".NET requires the startup hook type to be named StartupHook in no namespace.")]
internal static class StartupHook
{
    public static void Initialize()
    {
        // The hook is loaded by path, not as a module: its own dependencies (Pep.Core and what it uses) are
        // beside it, where the default load context does not look. Register that before touching any of them.
        string folder = Path.GetDirectoryName(typeof(StartupHook).Assembly.Location)!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            string candidate = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };
        Run();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Run()
    {
        Pep.SessionModule.WarmStart.SessionUICulture.ApplyFromEnvironment();
        Pep.SessionModule.WarmStart.WarmSessionHost.Prepare();
    }
}
