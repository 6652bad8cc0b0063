using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Pep.Core.Platform;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep demo-bmc</c> (hidden): the demo stamp's BMC credential commands. Reads the BMC user and the new password as
/// two lines on standard input, as Set-BmcCredential gives them (an empty user keeps the current one), and writes the
/// user and the password's SHA-256 (never the password) to the node's BMC file (<c>--bmc-file</c>, unless
/// <c>--store-only</c>) and to the stamp's stored copy (<c>--stored-file</c>), both mode 0600.
/// </summary>
internal static class DemoBmcCommand
{
    public static Command Create()
    {
        var bmcFile = new Option<string>("--bmc-file") { Required = true };
        var storedFile = new Option<string>("--stored-file") { Required = true };
        var storeOnly = new Option<bool>("--store-only");
        var command = new Command("demo-bmc", "Change a demo node's BMC credential (user and password on stdin).") { Hidden = true };
        command.Options.Add(bmcFile);
        command.Options.Add(storedFile);
        command.Options.Add(storeOnly);
        command.SetAction(parse =>
        {
            string? user = Console.In.ReadLine();
            string? password = Console.In.ReadLine();
            if (user is null || string.IsNullOrEmpty(password))
            {
                Console.Error.WriteLine("demo-bmc: expected the user and the password as two lines on standard input.");
                return 2;
            }

            string stored = parse.GetValue(storedFile)!;
            if (user.Length == 0)
            {
                user = File.Exists(stored) ? File.ReadAllLines(stored)[0] : "root";
            }

            string record = user + "\n" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password))) + "\n";
            if (!parse.GetValue(storeOnly))
            {
                SecretFile.WriteAllText(parse.GetValue(bmcFile)!, record);
            }

            SecretFile.WriteAllText(stored, record);
            return 0;
        });
        return command;
    }
}
