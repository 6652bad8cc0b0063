using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Pep.SessionModule.Session;

/// <summary>
/// Makes SQLite's native library (e_sqlite3) load inside pwsh. A binary module's native dependencies
/// are not in pwsh's own deps.json, so the runtime never probes the module's runtimes/&lt;rid&gt;/native
/// folder and Microsoft.Data.Sqlite's type initializer fails. PowerShell calls OnImport when the module is
/// imported, before any cmdlet runs; the resolver then answers for e_sqlite3 from the module folder.
/// </summary>
public sealed class NativeSqliteLoader : IModuleAssemblyInitializer
{
    private static int _registered;

    public void OnImport()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        AssemblyLoadContext context = AssemblyLoadContext.GetLoadContext(typeof(NativeSqliteLoader).Assembly) ?? AssemblyLoadContext.Default;
        context.ResolvingUnmanagedDll += Resolve;
        if (context != AssemblyLoadContext.Default)
        {
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
        }
    }

    private static IntPtr Resolve(Assembly requester, string name)
    {
        if (!name.Contains("e_sqlite3", StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }

        string architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        string moduleFolder = Path.GetDirectoryName(typeof(NativeSqliteLoader).Assembly.Location)!;
        string library = Path.Combine(moduleFolder, "runtimes", $"linux-{architecture}", "native", "libe_sqlite3.so");
        return File.Exists(library) ? NativeLibrary.Load(library) : IntPtr.Zero;
    }
}
