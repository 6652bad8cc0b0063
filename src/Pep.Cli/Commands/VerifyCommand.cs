using System.CommandLine;
using Pep.Core.Security;
using Pep.Core.Transcripts;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep verify DIR</c>: checks a folder of delivered transcripts offline, on any machine. Prints one line
/// per transcript (intact, or what is wrong) and one per problem with the ledger; exits with
/// <see cref="ExitCodes.VerificationFailed"/> on any problem.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "A folder Close-PrivilegedEndpoint delivered transcripts to." };
        var keys = new Option<FileInfo[]>("--instance-key")
        {
            Description = "An instance's public key (instances/<name>/instance-signing.pub), kept apart from the share: ledgers signed by any other key fail.",
            AllowMultipleArgumentsPerToken = true,
        };
        var previous = new Option<DirectoryInfo>("--previous")
        {
            Description = "The instance's previous delivery: the chain head it stated must still be in this folder's ledger (removing the last entries with their transcripts is then detected).",
        };
        var command = new Command("verify", "Check delivered transcripts against their signed ledger.") { folder, keys, previous };
        command.SetAction(parse =>
        {
            DirectoryInfo directory = parse.GetValue(folder)!;
            if (!directory.Exists)
            {
                Console.Error.WriteLine($"pep verify: '{directory.FullName}' is not a folder.");
                return ExitCodes.InvalidInput;
            }

            VerificationReport report;
            try
            {
                HashSet<string>? trusted = null;
                if (parse.GetValue(keys) is { Length: > 0 } keyFiles)
                {
                    trusted = [];
                    foreach (FileInfo keyFile in keyFiles)
                    {
                        using SigningKey key = SigningKey.Load(keyFile.FullName);
                        trusted.Add(key.PublicKeyId);
                    }
                }

                DirectoryInfo? before = parse.GetValue(previous);
                if (before is { Exists: false })
                {
                    Console.Error.WriteLine($"pep verify: '{before.FullName}' (--previous) is not a folder.");
                    return ExitCodes.InvalidInput;
                }

                report = LedgerVerifier.Verify(directory.FullName, trusted, before?.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                Console.Error.WriteLine($"pep verify: {e.Message}");
                return ExitCodes.VerificationFailed;
            }

            foreach (string ledger in report.Ledgers)
            {
                Console.WriteLine($"ledger  {ledger}");
            }

            foreach (VerificationFinding finding in report.Findings)
            {
                Console.WriteLine(finding.ToString());
            }

            int intact = report.Findings.Count(f => f.Kind == FindingKind.Intact);
            int problems = report.Findings.Count(f => f.IsProblem);
            Console.WriteLine(report.IsIntact
                ? $"pep verify: {intact} transcript(s) intact. Compare the key id in each ledger's name with the instance's own (pep init printed it; instances/<name>/instance-signing.pub)."
                : $"pep verify: {problems} problem(s), {intact} transcript(s) intact.");
            return report.IsIntact ? ExitCodes.Success : ExitCodes.VerificationFailed;
        });
        return command;
    }
}
