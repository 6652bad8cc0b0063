using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Cli.Demo;

/// <summary>
/// The break-the-glass part of <c>pep demo</c>'s tour (<c>Demo/Scripts/SupportTour.ps1</c>): the demo plays the
/// vendor too, with an authority in its temporary state directory, and grants through the real <c>pep authority grant</c>.
/// </summary>
internal static class DemoSupportTour
{
    /// <summary>Makes the demo's authority and registers its public bundle with the demo deployment.</summary>
    public static string CreateAuthority(StateLayout layout)
    {
        string directory = Path.Combine(layout.Root, "vendor-authority");
        using (SupportAuthority.Create(directory, TimeProvider.System))
        {
            SupportAuthorityRegistration.Register(layout, Path.Combine(directory, SupportAuthority.PublicBundleFile));
        }

        return directory;
    }
}
