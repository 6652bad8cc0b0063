using System.Text;

namespace Pep.Cli;

/// <summary>
/// Reads a password for the CLI: from a file, from a named environment variable, or typed at a prompt
/// without echo. Never from an argument: arguments show in process listings and shell history.
/// </summary>
internal static class PasswordInput
{
    public static string Read(string? file, string? environmentVariable, string prompt)
    {
        if (!string.IsNullOrEmpty(file))
        {
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }

        if (!string.IsNullOrEmpty(environmentVariable))
        {
            return Environment.GetEnvironmentVariable(environmentVariable)
                ?? throw new InvalidOperationException($"The environment variable '{environmentVariable}' is not set.");
        }

        if (Console.IsInputRedirected)
        {
            throw new InvalidOperationException("No terminal to prompt for the password: use --password-file or --password-env.");
        }

        string first = Prompt(prompt);
        string second = Prompt("Again: ");
        return first == second ? first : throw new InvalidOperationException("The two passwords differ.");
    }

    private static string Prompt(string prompt)
    {
        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
