using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Spectre.Console;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>docs/cli.md and the scanner's own help say what the scanner does: its help as it prints it, every option, every rule family.</summary>
public sealed class CliDocumentationTests
{
    private static readonly string CliDocs = Path.Combine(TestPaths.RepositoryRoot, "docs", "cli.md");

    private readonly ITestOutputHelper _output;

    public CliDocumentationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Cli_docs_show_the_help_the_scanner_prints()
    {
        var run = ProcessRunner.HipaaScan(TestPaths.RepositoryRoot, "--help");
        _output.WriteLine(run.Describe());
        Assert.Equal(0, run.ExitCode);

        // The docs show the help wrapped to a terminal's width; the words and their order are what must agree.
        var documented = Regex.Match(File.ReadAllText(CliDocs), @"```text\n(?<help>Description:\n.*?)```", RegexOptions.Singleline);
        Assert.True(documented.Success, "docs/cli.md has no ```text block that starts with 'Description:' (the output of hipaa-scan --help).");
        Assert.Equal(Words(run.StandardOutput), Words(documented.Groups["help"].Value));
    }

    [Fact]
    public void Options_table_of_the_cli_docs_has_a_row_for_every_option_and_no_other()
    {
        // The names the help shows: "-?, -h, --help" (the Windows-style "/?" and "/h" are left out of it).
        var names = Command().Options
            .SelectMany(o => o.Aliases.Append(o.Name))
            .Where(name => name.StartsWith("-", StringComparison.Ordinal))
            .Append("<path>")
            .ToHashSet(StringComparer.Ordinal);

        // The table under "| Argument or option | Meaning |": "| `--top <count>` | ..." and "| `-?`, `-h`, `--help` | ...".
        var lines = File.ReadAllLines(CliDocs);
        var header = Array.IndexOf(lines, "| Argument or option | Meaning |");
        Assert.True(header >= 0, "docs/cli.md has no table headed '| Argument or option | Meaning |'.");
        var documented = lines.Skip(header + 2)
            .TakeWhile(line => line.StartsWith("|", StringComparison.Ordinal))
            .SelectMany(line => Regex.Matches(line.Split('|')[1], @"`(?<name>[^`\s]+)[^`]*`").Select(m => m.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Empty(names.Except(documented).Order(StringComparer.Ordinal));
        Assert.Empty(documented.Except(names).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Help_names_every_rule_family()
    {
        var description = Command().Description!;
        var families = HipaaRules.Instance.Rules.Select(r => r.Category).Distinct(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(families);
        foreach (var family in families)
        {
            // "AccessControl" is written "access control".
            var words = Regex.Replace(family, "(?<=[a-z])(?=[A-Z])", " ");
            Assert.True(description.Contains(words, StringComparison.OrdinalIgnoreCase), $"The help does not name the rule family '{words}': {description}");
        }
    }

    private static System.CommandLine.RootCommand Command() => Program.CreateCommand(new Ui(AnsiConsole.Console, AnsiConsole.Console));

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
