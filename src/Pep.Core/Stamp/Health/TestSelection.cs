using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Stamp.Health;

/// <summary>
/// Which health categories Test-AzureStack runs: those of the group (Default: all the stamp declares),
/// narrowed to -Include when given, minus -Ignore. Names compare case-insensitively; an unknown name is an
/// error that lists the known ones, so a typo never silently tests less.
/// </summary>
public sealed class TestSelection
{
    public const string DefaultGroup = "Default";

    /// <summary>The conventional groups of the original; a manifest may redefine them or add its own.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ConventionalGroups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["UpdateReadiness"] = ["AzsInfraFileValidation", "AzsActionPlanStatus", "AzsStampBMCSummary"],
        ["SecretRotationReadiness"] =
        [
            "AzsAcsSummary", "AzsDefenderSummary", "AzsHostingInfraSummary", "AzsInfraCapacity", "AzsInfraRoleSummary",
            "AzsPortalAPISummary", "AzsSFRoleSummary", "AzsStorageSvcsSummary", "AzsStoreSummary",
        ],
    };

    private TestSelection(string group, IReadOnlyList<string> declared, IReadOnlyList<string> categories, IReadOnlyList<string> notDeclared,
        IReadOnlyList<(StampRole Role, HealthTest Test)> tests, bool warningsAreFailures)
    {
        Group = group;
        DeclaredCategories = declared;
        Categories = categories;
        NotDeclared = notDeclared;
        Tests = tests;
        WarningsAreFailures = warningsAreFailures;
    }

    /// <summary>The group asked for (Default when none was).</summary>
    public string Group { get; }

    /// <summary>Every category the stamp declares, selected or not.</summary>
    public IReadOnlyList<string> DeclaredCategories { get; }

    /// <summary>Categories the group names that this stamp does not declare (none when -Include names the categories): they cannot be tested.</summary>
    public IReadOnlyList<string> NotDeclared { get; }

    /// <summary>The selected categories, in the order the manifest first declares them.</summary>
    public IReadOnlyList<string> Categories { get; }

    public IReadOnlyList<(StampRole Role, HealthTest Test)> Tests { get; }

    /// <summary>UpdateReadiness treats warnings as errors, as the original does.</summary>
    public bool WarningsAreFailures { get; }

    /// <summary>Every category the stamp declares, in manifest order.</summary>
    public static IReadOnlyList<string> KnownCategories(StampManifest manifest)
        => [.. manifest.Roles.SelectMany(r => r.HealthTests).Select(t => t.Category).Distinct(StringComparer.OrdinalIgnoreCase)];

    public static IReadOnlyList<string> KnownGroups(StampManifest manifest)
        => [DefaultGroup, .. ConventionalGroups.Keys.Concat(manifest.TestGroups.Keys).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <exception cref="TestSelectionException">An unknown group or category name.</exception>
    public static TestSelection Select(StampManifest manifest, string? group, IReadOnlyCollection<string>? include, IReadOnlyCollection<string>? ignore)
    {
        IReadOnlyList<string> known = KnownCategories(manifest);
        group = string.IsNullOrEmpty(group) ? DefaultGroup : group;
        IEnumerable<string> selected;
        IEnumerable<string> notDeclared = [];
        if (string.Equals(group, DefaultGroup, StringComparison.OrdinalIgnoreCase))
        {
            selected = known;
        }
        else
        {
            IReadOnlyList<string> members = manifest.TestGroups.FirstOrDefault(g => string.Equals(g.Key, group, StringComparison.OrdinalIgnoreCase)).Value
                ?? (ConventionalGroups.TryGetValue(group, out IReadOnlyList<string>? conventional) ? conventional : null)
                ?? throw new TestSelectionException("UnknownTestGroup", group, $"There is no test group '{group}'. Groups: {string.Join(", ", KnownGroups(manifest))}.");
            selected = known.Where(c => members.Contains(c, StringComparer.OrdinalIgnoreCase));
            // With -Include the operator named the categories wanted; without it, the group's missing members are untested.
            if (include is not { Count: > 0 })
            {
                notDeclared = members.Where(m => !known.Contains(m, StringComparer.OrdinalIgnoreCase));
            }
        }

        Check(include, known);
        Check(ignore, known);
        if (include is { Count: > 0 })
        {
            selected = selected.Where(c => include.Contains(c, StringComparer.OrdinalIgnoreCase));
        }

        if (ignore is { Count: > 0 })
        {
            selected = selected.Where(c => !ignore.Contains(c, StringComparer.OrdinalIgnoreCase));
        }

        var categories = selected.ToList();
        // A set, not the list: a stamp with many categories must not cost categories × tests comparisons.
        var chosen = new HashSet<string>(categories, StringComparer.OrdinalIgnoreCase);
        var tests = manifest.Roles
            .SelectMany(role => role.HealthTests.Select(test => (role, test)))
            .Where(p => chosen.Contains(p.test.Category))
            .ToList();
        return new TestSelection(group, known, categories, [.. notDeclared], tests, string.Equals(group, "UpdateReadiness", StringComparison.OrdinalIgnoreCase));
    }

    private static void Check(IReadOnlyCollection<string>? names, IReadOnlyList<string> known)
    {
        foreach (string name in names ?? [])
        {
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new TestSelectionException("UnknownTestCategory", name,
                    $"This stamp has no test category '{name}'. Categories: {string.Join(", ", known)}.");
            }
        }
    }
}
