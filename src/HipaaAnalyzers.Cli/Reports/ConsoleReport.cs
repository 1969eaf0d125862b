using System;
using System.Linq;
using Spectre.Console;

namespace HipaaAnalyzers.Cli.Reports;

/// <summary>The console summary: findings by rule and severity, the top findings with file:line, and the inventories in numbers.</summary>
public static class ConsoleReport
{
    /// <summary>Writes the summary; paths are shown relative to <paramref name="currentDirectory"/>, as the target is.</summary>
    public static void Write(ScanResult result, Ui ui, int top, string currentDirectory, bool requireComplete = false)
    {
        var console = ui.Out;
        console.WriteLine();
        var skipped = result.Skipped.Count == 0 ? string.Empty : $", {result.Skipped.Count} skipped";
        console.MarkupLine(
            $"[bold]hipaa-scan[/] {Markup.Escape(result.Target)}: {Scanner.Plural(result.Findings.Count, "finding")} in " +
            $"{Scanner.Plural(result.Projects.Count, "project")}{skipped} ({result.Elapsed.TotalSeconds:0.0} s)");
        console.WriteLine();

        var byRule = new Table().Border(TableBorder.Rounded).Title("Findings by rule and severity");
        byRule.AddColumn("Rule");
        byRule.AddColumn("Title");
        byRule.AddColumn(new TableColumn("Error").RightAligned());
        byRule.AddColumn(new TableColumn("Warning").RightAligned());
        byRule.AddColumn(new TableColumn("Note").RightAligned());
        byRule.AddColumn(new TableColumn("Total").RightAligned());
        foreach (var rule in result.Rules)
        {
            var findings = result.Findings.Where(f => f.RuleId == rule.Id).ToList();
            byRule.AddRow(
                new Markup(Markup.Escape(rule.Id)),
                new Markup(Markup.Escape(rule.Title)),
                Count(findings.Count(f => f.Level == FindingLevel.Error), "red"),
                Count(findings.Count(f => f.Level == FindingLevel.Warning), "yellow"),
                Count(findings.Count(f => f.Level == FindingLevel.Note), "blue"),
                Count(findings.Count, "bold"));
        }

        byRule.AddRow(
            new Markup("[bold]All[/]"),
            new Markup(string.Empty),
            Count(result.Findings.Count(f => f.Level == FindingLevel.Error), "red"),
            Count(result.Findings.Count(f => f.Level == FindingLevel.Warning), "yellow"),
            Count(result.Findings.Count(f => f.Level == FindingLevel.Note), "blue"),
            Count(result.Findings.Count, "bold"));
        console.Write(byRule);

        if (result.Findings.Count > 0 && top > 0)
        {
            var list = new Table().Border(TableBorder.Rounded).Title($"Top {Math.Min(top, result.Findings.Count)} findings");
            list.AddColumn("Severity");
            list.AddColumn("Rule");
            list.AddColumn("Location");
            list.AddColumn("Message");
            foreach (var finding in result.Findings.Take(top))
            {
                list.AddRow(
                    new Markup(LevelMarkup(finding.Level)),
                    new Markup(Markup.Escape(finding.RuleId)),
                    new Markup(Markup.Escape(Where(finding, currentDirectory))),
                    new Markup(Markup.Escape(finding.Message)));
            }

            console.Write(list);
            if (result.Findings.Count > top)
            {
                console.MarkupLine($"[grey]... and {result.Findings.Count - top} more; --sarif and --html list them all.[/]");
            }
        }

        console.WriteLine();
        var byAttribute = result.Phi.Count(p => p.Evidence is "attribute" or "type attribute");
        var byName = result.Phi.Count(p => p.Evidence == "name heuristic");
        var byFhir = result.Phi.Count(p => p.Evidence == "FHIR resource");
        var fhirText = byFhir > 0 ? $", {byFhir} holding FHIR resources" : string.Empty;
        console.MarkupLine(
            $"PHI inventory: {Scanner.Plural(result.Phi.Count(p => p.Kind != "type"), "member")} treated as PHI " +
            $"({byAttribute} by attribute, {byName} by name{fhirText}), {Scanner.Plural(result.Phi.Count(p => p.Kind == "type"), "type")} carrying PHI.");
        if (result.Endpoints.Count > 0)
        {
            var unprotected = result.Endpoints.Count(e => !e.IsProtected);
            var unaudited = result.Endpoints.Count(e => !e.IsAudited);
            var phi = result.Endpoints.Count(e => e.HandlesPhi);
            var phiUnprotected = result.Endpoints.Count(e => e.HandlesPhi && !e.IsProtected);
            console.MarkupLine(
                $"Endpoints: {result.Endpoints.Count} ({phi} handle PHI); {unprotected} without authorization " +
                $"({(phiUnprotected > 0 ? "[red]" + phiUnprotected + "[/]" : "0")} of them handle PHI), {unaudited} not audited.");
        }
        else
        {
            console.MarkupLine("Endpoints: none found.");
        }

        if (result.Skipped.Count > 0)
        {
            console.WriteLine();
            var table = new Table().Border(TableBorder.Rounded).Title("Skipped projects");
            table.AddColumn("Project");
            table.AddColumn("Why");
            foreach (var project in result.Skipped)
            {
                table.AddRow(
                    new Markup(Markup.Escape(Shown(project.FullPath, currentDirectory))),
                    new Markup((project.MakesScanPartial ? "[yellow]" : "[grey]") + Markup.Escape(project.Reason) + "[/]"));
            }

            console.Write(table);
            var partial = result.Skipped.Count(p => p.MakesScanPartial);
            if (partial > 0)
            {
                console.MarkupLine(
                    $"[yellow]The scan is partial:[/] {Scanner.Plural(partial, "C# project")} skipped; the findings cover the " +
                    $"{Scanner.Plural(result.Projects.Count, "project")} scanned." +
                    (requireComplete ? " --require-complete makes this a failure (exit code 7)." : " --require-complete makes this a failure."));
            }
        }

        foreach (var problem in result.Problems)
        {
            ui.Error(problem);
        }
    }

    /// <summary>"src/Api/Program.cs:12" relative to the current folder (as the target in the header), or the project.</summary>
    public static string Where(Finding finding, string currentDirectory) =>
        finding.FullPath is null ? finding.Project : Shown(finding.FullPath, currentDirectory) + ":" + finding.StartLine;

    private static string Shown(string path, string currentDirectory) => PathText.Relative(currentDirectory, path) ?? path;

    public static string LevelMarkup(FindingLevel level) => level switch
    {
        FindingLevel.Error => "[red]error[/]",
        FindingLevel.Warning => "[yellow]warning[/]",
        FindingLevel.Note => "[blue]note[/]",
        _ => "[grey]none[/]",
    };

    private static Markup Count(int count, string style) =>
        new(count == 0 ? "[grey]0[/]" : $"[{style}]{count}[/]");
}
