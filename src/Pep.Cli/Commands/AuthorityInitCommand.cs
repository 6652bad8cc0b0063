using System.CommandLine;
using Pep.Core.Support;

namespace Pep.Cli.Commands;

/// <summary><c>pep authority init --out DIR</c>: creates the authority's two key pairs and prints the public bundle to register.</summary>
internal static class AuthorityInitCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "The authority directory to create (mode 0700; keys are never overwritten).", Required = true };
        var command = new Command("init", "Create a support authority: an encryption and a signing key pair, and the public bundle stamps register.") { output };
        command.SetAction(parse =>
        {
            string directory = parse.GetValue(output)!.FullName;
            try
            {
                using SupportAuthority authority = SupportAuthority.Create(directory, TimeProvider.System);
                Console.Error.WriteLine($"Support authority {authority.KeyId} created in {directory}");
                Console.Error.WriteLine($"  private keys: {SupportAuthority.EncryptionKeyFile}, {SupportAuthority.SigningKeyFile} (keep them off the stamps)");
                Console.Error.WriteLine($"  public bundle: {Path.Combine(directory, SupportAuthority.PublicBundleFile)}");
                Console.Error.WriteLine("  register it with a stamp: pep init --support-authority FILE, or pep authority register --state DIR FILE");
                Console.WriteLine(authority.PublicBundleJson);
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"pep authority init: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
