using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using HipaaAnalyzers.CodeFixes.Infrastructure;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Phi;
using HipaaAnalyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace HipaaAnalyzers.Tests;

/// <summary>
/// Keeps the docs in step with the code: every diagnostic an analyzer reports has a rule page whose title, category,
/// severity and code fix match its descriptor and its fixer, a help link to that page, a row in each rule table
/// (README.md, docs/README.md, the package README) that says the same, and a release-tracking entry; every option key
/// is documented; and no page is left behind for a rule that no longer exists.
/// Each test lists every problem it finds, not only the first.
/// </summary>
public sealed class DocumentationTests
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    private static readonly Lazy<IReadOnlyList<DiagnosticDescriptor>> AllDescriptors = new(DiscoverDescriptors);

    private static readonly Regex MarkdownLink = new(@"\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)\)", RegexOptions.CultureInvariant);

    private static readonly Lazy<IReadOnlyList<CodeFixProvider>> AllFixers = new(DiscoverFixers);

    /// <summary>The columns of the rule tables in README.md, docs/README.md and the package README.</summary>
    private static readonly string[] RuleTableColumns = { "ID", "Title", "Category", "Default severity", "Code fix" };

    private static string RepositoryRoot => Root.Value;

    private static IReadOnlyList<DiagnosticDescriptor> ReportedRules => AllDescriptors.Value;

    [Fact]
    public void Analyzers_report_at_least_one_rule()
    {
        // Guards the other tests: if reflection found nothing, they would all pass vacuously.
        Assert.True(ReportedRules.Count > 0, "No DiagnosticAnalyzer with SupportedDiagnostics was found in " + typeof(RuleIds).Assembly.FullName);
    }

    [Fact]
    public void Every_rule_has_a_page_whose_heading_category_severity_and_code_fix_match_the_descriptor_and_fixer()
    {
        var problems = new List<string>();
        foreach (var descriptor in ReportedRules)
        {
            var path = RulePagePath(descriptor.Id);
            if (!File.Exists(path))
            {
                problems.Add($"{descriptor.Id}: the rule page {Relative(path)} does not exist. Create it: the heading, a metadata table with category and default severity, what it reports, why, noncompliant and compliant code, options, how to suppress.");
                continue;
            }

            var lines = File.ReadAllLines(path);
            var expectedHeading = $"# {descriptor.Id} — {descriptor.Title}";
            var firstLine = lines.Length > 0 ? lines[0].TrimEnd() : "(empty file)";
            if (firstLine != expectedHeading)
            {
                problems.Add($"{descriptor.Id}: the first line of {Relative(path)} must be '{expectedHeading}' (the descriptor's title), but is '{firstLine}'.");
            }

            var text = string.Join("\n", lines);
            if (!text.Contains(descriptor.Category, StringComparison.Ordinal))
            {
                problems.Add($"{descriptor.Id}: {Relative(path)} does not mention the rule's category '{descriptor.Category}'.");
            }

            var severity = descriptor.DefaultSeverity.ToString();
            if (!text.Contains(severity, StringComparison.Ordinal))
            {
                problems.Add($"{descriptor.Id}: {Relative(path)} does not mention the rule's default severity '{severity}'.");
            }

            // "| Code fix | Partly: ... " or "| Code fix | Yes: ..." starts with the fixers' answer.
            var codeFix = CodeFixOf(descriptor.Id).ToString();
            var codeFixRow = lines.Select(Cells).FirstOrDefault(cells => cells.Count >= 2 && cells[0] == "Code fix");
            var stated = codeFixRow is null ? null : Regex.Match(codeFixRow[1], @"^\w+").Value;
            if (stated != codeFix)
            {
                problems.Add($"{descriptor.Id}: the metadata table of {Relative(path)} must have a row '| Code fix | {codeFix}... |' (the fixers' answer), but " +
                             (codeFixRow is null ? "has none." : $"says '{codeFixRow[1]}'."));
            }
        }

        AssertNoProblems(problems);
    }

    [Fact]
    public void Every_help_link_points_at_the_rule_page()
    {
        var problems = new List<string>();
        foreach (var descriptor in ReportedRules)
        {
            var expected = Descriptors.HelpLinkUri(descriptor.Id);
            if (descriptor.HelpLinkUri != expected)
            {
                problems.Add($"{descriptor.Id}: HelpLinkUri is '{descriptor.HelpLinkUri}', expected '{expected}' (build descriptors with the one factory in Descriptors.cs).");
            }

            var suffix = $"docs/rules/{descriptor.Id}.md";
            if (!descriptor.HelpLinkUri.EndsWith(suffix, StringComparison.Ordinal))
            {
                problems.Add($"{descriptor.Id}: HelpLinkUri '{descriptor.HelpLinkUri}' does not end with '{suffix}'.");
            }
        }

        AssertNoProblems(problems);
    }

    [Fact]
    public void Repository_readme_rule_table_lists_every_rule() => AssertRuleTable("README.md", RuleLink.RelativePage);

    [Fact]
    public void Docs_index_rule_table_lists_every_rule() => AssertRuleTable(Path.Combine("docs", "README.md"), RuleLink.RelativePage);

    // The package README is shown on the package's page, where relative links do not work: its rows link each rule to
    // its page by the descriptor's help link.
    [Fact]
    public void Package_readme_rule_table_lists_every_rule() => AssertRuleTable(Path.Combine("src", "HipaaAnalyzers.Package", "README.md"), RuleLink.HelpLinkUri);

    [Fact]
    public void Every_option_key_appears_in_the_options_table_of_the_configuration_page()
    {
        var path = Path.Combine(RepositoryRoot, "docs", "configuration.md");
        Assert.True(File.Exists(path), $"{Relative(path)} does not exist; it must document every option key.");

        var tableRows = File.ReadAllLines(path).Where(line => line.TrimStart().StartsWith("|", StringComparison.Ordinal)).ToArray();
        var problems = new List<string>();
        Assert.NotEmpty(PhiOptions.AllKeys);
        var keys = PhiOptions.AllKeys.Select(key => (Key: key, List: "PhiOptions.AllKeys"))
            .Concat(CryptoOptions.AllKeys.Select(key => (Key: key, List: "CryptoOptions.AllKeys")))
            .Concat(SecretsOptions.AllKeys.Select(key => (Key: key, List: "SecretsOptions.AllKeys")));
        foreach (var (key, list) in keys)
        {
            // A whole key, so "hipaa_analyzers.phi_names" is not found inside "hipaa_analyzers.weak_phi_names".
            var pattern = new Regex(@"(?<![\w.])" + Regex.Escape(key) + @"(?![\w.])", RegexOptions.CultureInvariant);
            if (!tableRows.Any(row => pattern.IsMatch(row)))
            {
                problems.Add($"Option key '{key}' ({list}) has no row in the options table of {Relative(path)}.");
            }
        }

        AssertNoProblems(problems);
    }

    [Fact]
    public void Every_secrets_option_key_is_documented_on_each_secrets_rule_page()
    {
        var problems = new List<string>();
        foreach (var id in new[] { RuleIds.HardCodedKey, RuleIds.HardCodedCredential, RuleIds.KeyInSqlText })
        {
            var path = RulePagePath(id);
            var text = File.Exists(path) ? File.ReadAllText(path) : "";
            foreach (var key in SecretsOptions.AllKeys)
            {
                if (!text.Contains(key, StringComparison.Ordinal))
                {
                    problems.Add($"{Relative(path)} does not mention the option '{key}' (SecretsOptions.AllKeys), which changes what {id} reports.");
                }
            }
        }

        AssertNoProblems(problems);
    }

    [Fact]
    public void Every_built_in_name_and_word_appears_on_the_configuration_page()
    {
        var path = Path.Combine(RepositoryRoot, "docs", "configuration.md");
        Assert.True(File.Exists(path), $"{Relative(path)} does not exist.");
        var text = File.ReadAllText(path);

        var problems = new List<string>();
        void Check(string list, string listName)
        {
            foreach (var entry in list.Split(','))
            {
                var parts = entry.Split('=');
                var phrase = parts[0].Trim();
                if (phrase.Length == 0)
                {
                    continue;
                }

                if (!text.Contains("`" + phrase + "`", StringComparison.Ordinal))
                {
                    problems.Add($"PhiNameDefaults.{listName} has '{phrase}', which {Relative(path)} does not list (as `{phrase}`).");
                }

                var label = parts.Length > 1 ? parts[1].Trim() : null;
                if (!string.IsNullOrEmpty(label) && !text.Contains("| " + label + " |", StringComparison.Ordinal))
                {
                    problems.Add($"PhiNameDefaults.{listName} labels '{phrase}' as '{label}', which has no table row in {Relative(path)}.");
                }
            }
        }

        Check(PhiNameDefaults.Strong, nameof(PhiNameDefaults.Strong));
        Check(PhiNameDefaults.Weak, nameof(PhiNameDefaults.Weak));
        Check(PhiNameDefaults.PersonTypeWords, nameof(PhiNameDefaults.PersonTypeWords));
        Check(PhiNameDefaults.NeutralWords, nameof(PhiNameDefaults.NeutralWords));
        Check(PhiNameDefaults.ThingWords, nameof(PhiNameDefaults.ThingWords));

        AssertNoProblems(problems.Distinct(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void Relative_links_in_the_docs_point_at_files_that_exist()
    {
        var files = new List<string> { Path.Combine(RepositoryRoot, "README.md") };
        var docs = Path.Combine(RepositoryRoot, "docs");
        if (Directory.Exists(docs))
        {
            files.AddRange(Directory.GetFiles(docs, "*.md", SearchOption.AllDirectories));
        }

        var problems = new List<string>();
        foreach (var file in files.Where(File.Exists))
        {
            foreach (Match link in MarkdownLink.Matches(File.ReadAllText(file)))
            {
                var target = link.Groups["target"].Value;
                if (target.StartsWith("#", StringComparison.Ordinal) || target.Contains("://", StringComparison.Ordinal) ||
                    target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = target.Split('#')[0];
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path.Replace('/', Path.DirectorySeparatorChar)));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    problems.Add($"{Relative(file)} links to '{target}', but {Relative(resolved)} does not exist.");
                }
            }
        }

        AssertNoProblems(problems);
    }

    [Fact]
    public void No_rule_page_exists_for_a_rule_that_no_analyzer_reports()
    {
        var directory = Path.Combine(RepositoryRoot, "docs", "rules");
        Assert.True(Directory.Exists(directory), $"{Relative(directory)} does not exist.");

        var ids = new HashSet<string>(ReportedRules.Select(d => d.Id), StringComparer.Ordinal);
        var problems = Directory.GetFiles(directory, "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name is not null && !ids.Contains(name))
            .OrderBy(name => name, StringComparer.Ordinal)
            .Select(name => $"{Relative(Path.Combine(directory, name + ".md"))} documents '{name}', which no analyzer in {typeof(RuleIds).Assembly.GetName().Name} reports. Delete the page or restore the rule.")
            .ToList();

        AssertNoProblems(problems);
    }

    [Fact]
    public void Release_tracking_lists_every_rule()
    {
        var unshipped = Path.Combine(RepositoryRoot, "src", "HipaaAnalyzers", "AnalyzerReleases.Unshipped.md");
        var shipped = Path.Combine(RepositoryRoot, "src", "HipaaAnalyzers", "AnalyzerReleases.Shipped.md");
        Assert.True(File.Exists(unshipped), $"{Relative(unshipped)} does not exist.");

        // A rule is listed while it is new (Unshipped) and after it shipped (Shipped), but not in a "Removed Rules" table.
        var listed = new HashSet<string>(ReleaseTrackingIds(unshipped), StringComparer.Ordinal);
        if (File.Exists(shipped))
        {
            listed.UnionWith(ReleaseTrackingIds(shipped));
        }

        var problems = ReportedRules
            .Where(d => !listed.Contains(d.Id))
            .Select(d => $"{d.Id} is not listed in {Relative(unshipped)} (nor in AnalyzerReleases.Shipped.md). Add the row '{d.Id} | {d.Category} | {d.DefaultSeverity} | ...'.")
            .ToList();

        AssertNoProblems(problems);
    }

    /// <summary>
    /// The rule table of a Markdown file (the table under the header <see cref="RuleTableColumns"/>) has one row per rule
    /// and no other: the ID linked to the rule page, and the descriptor's title, category and default severity and the
    /// fixers' <see cref="CodeFixAvailability"/>, each in its own column.
    /// </summary>
    private static void AssertRuleTable(string relativePath, RuleLink link)
    {
        var path = Path.Combine(RepositoryRoot, relativePath);
        Assert.True(File.Exists(path), $"{relativePath} does not exist.");

        var header = "| " + string.Join(" | ", RuleTableColumns) + " |";
        var lines = File.ReadAllLines(path);
        var headerIndex = Array.FindIndex(lines, line => Cells(line).SequenceEqual(RuleTableColumns));
        Assert.True(headerIndex >= 0, $"{relativePath} has no rule table: no line '{header}'.");

        // The rows run from under the header's delimiter row to the first line that is not a table row.
        var rows = lines
            .Skip(headerIndex + 2)
            .TakeWhile(line => line.TrimStart().StartsWith("|", StringComparison.Ordinal))
            .Select(line => (Line: line, Cells: Cells(line)))
            .ToList();

        var problems = new List<string>();
        var ids = new HashSet<string>(ReportedRules.Select(d => d.Id), StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Cells.Count == 0 || !ids.Contains(LinkText(r.Cells[0]))))
        {
            problems.Add($"{relativePath}: the rule table has a row for no rule an analyzer reports: {row.Line.Trim()}");
        }

        foreach (var descriptor in ReportedRules)
        {
            var pagePath = Path.GetFullPath(RulePagePath(descriptor.Id));
            var expectedLink = link == RuleLink.HelpLinkUri ? descriptor.HelpLinkUri : RelativeLink(path, pagePath);
            var expected = new[]
            {
                $"[{descriptor.Id}]({expectedLink})",
                descriptor.Title.ToString(),
                descriptor.Category,
                descriptor.DefaultSeverity.ToString(),
                CodeFixOf(descriptor.Id).ToString(),
            };
            var row = rows.FirstOrDefault(r => r.Cells.Count > 0 && LinkText(r.Cells[0]) == descriptor.Id);
            if (row.Line is null)
            {
                problems.Add($"{relativePath}: the rule table has no row for {descriptor.Id}. Add '| {string.Join(" | ", expected)} |'.");
                continue;
            }

            if (row.Cells.Count != RuleTableColumns.Length)
            {
                problems.Add($"{relativePath}: the {descriptor.Id} row must have {RuleTableColumns.Length} cells ({string.Join(", ", RuleTableColumns)}); the row is: {row.Line.Trim()}");
                continue;
            }

            var targets = MarkdownLink.Matches(row.Cells[0]).Select(m => m.Groups["target"].Value).ToList();
            var linked = link == RuleLink.HelpLinkUri
                ? targets.Contains(descriptor.HelpLinkUri, StringComparer.Ordinal)
                : targets.Any(target => LinksTo(path, target, pagePath));
            if (!linked)
            {
                problems.Add($"{relativePath}: the {descriptor.Id} row must link the ID to {expectedLink}, but links to '{string.Join("', '", targets)}'.");
            }

            for (var column = 1; column < RuleTableColumns.Length; column++)
            {
                if (row.Cells[column] != expected[column])
                {
                    problems.Add($"{relativePath}: the {descriptor.Id} row must have '{expected[column]}' in its {RuleTableColumns[column]} column{CodeFixHint(column)}, but has '{row.Cells[column]}'.");
                }
            }
        }

        AssertNoProblems(problems);

        static string CodeFixHint(int column) => RuleTableColumns[column] == "Code fix"
            ? " (Yes: a fixer fixes the rule; Partly: its fixer is marked [PartialCodeFix]; No: no fixer)"
            : string.Empty;
    }

    /// <summary>Rule IDs in the tables of an AnalyzerReleases file, leaving out the "Removed Rules" sections.</summary>
    private static IEnumerable<string> ReleaseTrackingIds(string path)
    {
        bool removed = false;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith("#", StringComparison.Ordinal))
            {
                removed = line.TrimStart('#').Trim().StartsWith("Removed", StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (removed || line.Length == 0 || line.StartsWith(";", StringComparison.Ordinal) || !line.Contains('|', StringComparison.Ordinal))
            {
                continue;
            }

            var first = line.Split('|')[0].Trim();
            if (first.Length > 0 && !first.StartsWith("-", StringComparison.Ordinal) && first != "Rule ID")
            {
                yield return first;
            }
        }
    }

    /// <summary>The cells of a Markdown table row, trimmed; an escaped '\|' stays inside its cell.</summary>
    private static List<string> Cells(string row)
    {
        var cells = Regex.Split(row.Trim(), @"(?<!\\)\|").Select(c => c.Trim()).ToList();
        if (cells.Count > 0 && cells[0].Length == 0)
        {
            cells.RemoveAt(0);
        }

        if (cells.Count > 0 && cells[^1].Length == 0)
        {
            cells.RemoveAt(cells.Count - 1);
        }

        return cells;
    }

    /// <summary>"[HIPAA001](docs/rules/HIPAA001.md)" gives "HIPAA001"; plain text is returned as it is.</summary>
    private static string LinkText(string cell)
    {
        var match = MarkdownLink.Match(cell);
        return (match.Success ? match.Groups["text"].Value : cell).Trim().Trim('`');
    }

    private static bool LinksTo(string fromFile, string target, string expectedFullPath)
    {
        if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("/", StringComparison.Ordinal))
        {
            return false;
        }

        var withoutAnchor = target.Split('#')[0];
        var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fromFile)!, withoutAnchor.Replace('/', Path.DirectorySeparatorChar)));
        return string.Equals(resolved, expectedFullPath, StringComparison.Ordinal);
    }

    private static string RelativeLink(string fromFile, string toFile) =>
        Path.GetRelativePath(Path.GetDirectoryName(fromFile)!, toFile).Replace(Path.DirectorySeparatorChar, '/');

    private static string RulePagePath(string id) => Path.Combine(RepositoryRoot, "docs", "rules", id + ".md");

    private static string Relative(string path) =>
        Path.GetRelativePath(RepositoryRoot, path).Replace(Path.DirectorySeparatorChar, '/');

    private static void AssertNoProblems(List<string> problems) =>
        Assert.True(problems.Count == 0, $"{problems.Count} documentation problem(s):\n- " + string.Join("\n- ", problems));

    private static IReadOnlyList<DiagnosticDescriptor> DiscoverDescriptors()
    {
        var analyzers = typeof(RuleIds).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) &&
                        t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Length > 0)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!);

        var byId = new SortedDictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
        foreach (var analyzer in analyzers)
        {
            foreach (var descriptor in analyzer.SupportedDiagnostics)
            {
                byId[descriptor.Id] = descriptor;
            }
        }

        return byId.Values.ToList();
    }

    /// <summary>Every exported fixer of the code fix assembly, as hipaa-scan and the package load them.</summary>
    private static IReadOnlyList<CodeFixProvider> DiscoverFixers() =>
        typeof(CodeFixAvailability).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(CodeFixProvider).IsAssignableFrom(t) &&
                        t.GetCustomAttributes(typeof(ExportCodeFixProviderAttribute), inherit: false).Length > 0)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToList();

    private static CodeFixAvailability CodeFixOf(string ruleId) => CodeFixAvailabilities.Of(ruleId, AllFixers.Value);

    /// <summary>
    /// The folder holding HipaaAnalyzers.sln (or, before the solution existed, Directory.Packages.props next to
    /// src/HipaaAnalyzers), found by walking up from the test binaries. Builds with an artifacts path outside the
    /// repository (--artifacts-path /tmp/...) are found from the working directory or this source file instead.
    /// </summary>
    private static string FindRepositoryRoot()
    {
        var starts = new List<string> { AppContext.BaseDirectory, Directory.GetCurrentDirectory() };
        if (ThisFile() is { Length: > 0 } source && Path.GetDirectoryName(source) is { } sourceDirectory)
        {
            starts.Add(sourceDirectory);
        }

        foreach (var start in starts)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HipaaAnalyzers.sln")) ||
                    (File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")) &&
                     Directory.Exists(Path.Combine(directory.FullName, "src", "HipaaAnalyzers"))))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            "Could not find the repository root (a folder with HipaaAnalyzers.sln, or Directory.Packages.props and src/HipaaAnalyzers) " +
            "above any of: " + string.Join(", ", starts));
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;

    /// <summary>How a rule table links a rule to its page.</summary>
    private enum RuleLink
    {
        /// <summary>A relative link to docs/rules/ID.md, for files read in the repository.</summary>
        RelativePage,

        /// <summary>The descriptor's help link, for the package README, which is read on the package's page.</summary>
        HelpLinkUri,
    }
}
