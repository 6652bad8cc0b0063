using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Cli.Demo;

/// <summary>
/// The break-the-glass part of <c>pep demo</c>'s tour (<c>Demo/Scripts/SupportTour.ps1</c>): the demo plays the
/// vendor too, with an authority of its own beside the stamp's temporary state directory (never inside it: the
/// stamp holds only the public bundle, as with a real vendor), and grants through the real <c>pep authority grant</c>.
/// </summary>
internal static class DemoSupportTour
{
    /// <summary>The demo vendor's folder, a sibling of the state directory: <c>&lt;state&gt;-vendor-authority</c>.</summary>
    public static string VendorAuthorityDirectory(StateLayout layout)
        => Path.TrimEndingDirectorySeparator(Path.GetFullPath(layout.Root)) + "-vendor-authority";

    /// <summary>
    /// Makes the demo vendor's authority (its private keys in a new folder of mode 0700 outside the state
    /// directory) and registers its public bundle with the demo deployment.
    /// </summary>
    public static string CreateAuthority(StateLayout layout)
    {
        string directory = VendorAuthorityDirectory(layout);
        using (SupportAuthority.Create(directory, TimeProvider.System))
        {
            SupportAuthorityRegistration.Register(layout, Path.Combine(directory, SupportAuthority.PublicBundleFile));
        }

        return directory;
    }
}
