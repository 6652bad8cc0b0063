namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A systemd unit shipped in deploy/systemd, read as systemd reads its [Service] section (one value a key, the last
/// one given), with the built pep, a test's state folder and an instance in place of the shipped ones when asked.
/// </summary>
public sealed class ServiceUnit
{
    public const string ShippedProgram = "/opt/pep/bin/pep";

    public const string ShippedState = "/var/lib/pep";

    public ServiceUnit(string text)
    {
        Text = text;
        Service = ServiceSection(text);
    }

    public string Text { get; }

    public IReadOnlyDictionary<string, string> Service { get; }

    /// <summary>The pep this repository built (an apphost, as /opt/pep/bin/pep is in a deployment).</summary>
    public static string BuiltProgram => Path.Combine(RepositoryPaths.CliDirectory, "pep");

    public static string PathOf(string fileName) => Path.Combine(RepositoryPaths.Root, "deploy", "systemd", fileName);

    public static ServiceUnit Load(string fileName) => new(File.ReadAllText(PathOf(fileName)));

    /// <summary>The unit's text with its program pointed at the built pep.</summary>
    public string WithBuiltProgram() => Text.Replace(ShippedProgram + " ", BuiltProgram + " ", StringComparison.Ordinal);

    /// <summary>
    /// A setting's words, with the built pep, <paramref name="state"/> and <paramref name="instance"/> in place of the
    /// shipped ones (a command's prefix such as <c>+</c> kept).
    /// </summary>
    public string[] Words(string key, string state, string instance)
        => [.. Service[key].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word => word.Replace(ShippedProgram, BuiltProgram, StringComparison.Ordinal) switch
        {
            "%i" => instance,
            ShippedState => state,
            var other => other,
        })];

    private static Dictionary<string, string> ServiceSection(string unit)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool inService = false;
        foreach (string line in unit.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith('['))
            {
                inService = line == "[Service]";
            }
            else if (inService && !line.StartsWith('#') && line.IndexOf('=', StringComparison.Ordinal) is > 0 and int equals)
            {
                values[line[..equals]] = line[(equals + 1)..];
            }
        }

        return values;
    }
}
