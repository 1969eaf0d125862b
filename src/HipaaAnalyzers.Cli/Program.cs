using System;
using System.CommandLine;
using System.Threading.Tasks;
using Spectre.Console;

namespace HipaaAnalyzers.Cli;

/// <summary>hipaa-scan: scans a solution, project or folder with the HipaaAnalyzers rules without changing it.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var ui = Ui.ForConsole();
        var command = CreateCommand(ui);
        var parse = command.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                ui.Error(error.Message);
            }

            ui.Err.WriteLine("Run 'hipaa-scan --help' for usage.");
            return ExitCodes.InvalidArguments;
        }

        try
        {
            // Unexpected errors must not end as exit code 1, which means "findings at the --fail-on severity".
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ui.Error("Canceled.");
            return ExitCodes.ScanFailed;
        }
        catch (Exception e)
        {
            ui.Error("The scan failed: " + e);
            return ExitCodes.ScanFailed;
        }
    }

    public static RootCommand CreateCommand(Ui ui)
    {
        var path = new Argument<string>("path")
        {
            Description = "A .sln, .slnx, .slnf or .csproj file, or a folder that holds one (default: the current folder).",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => ".",
        };
        var sarif = new Option<string?>("--sarif")
        {
            Description = "Write the findings as SARIF 2.1.0 to this file (for GitHub code scanning).",
            HelpName = "file",
        };
        var html = new Option<string?>("--html")
        {
            Description = "Write a self-contained HTML compliance report (findings, PHI inventory, endpoint inventory) to this file.",
            HelpName = "file",
        };
        var failOn = new Option<string>("--fail-on")
        {
            Description = "Exit with code 1 when a finding has this severity or a higher one.",
            HelpName = "error|warning|note|none",
            DefaultValueFactory = _ => "none",
        };
        failOn.AcceptOnlyFromAmong("error", "warning", "note", "none");
        var fix = new Option<bool>("--fix") { Description = "Apply every available code fix (Fix All per rule) and write the changed files." };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --fix: print the changes as a unified diff and write nothing." };
        var noRestore = new Option<bool>("--no-restore") { Description = "Do not run 'dotnet restore' first (the projects are restored already)." };
        var top = new Option<int>("--top")
        {
            Description = "How many findings the console lists (the reports list all).",
            HelpName = "count",
            DefaultValueFactory = _ => 20,
        };
        top.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--top cannot be negative.");
            }
        });
        var sourceRoot = new Option<string?>("--source-root")
        {
            Description = "The folder that report paths and SARIF URIs are relative to (default: the git work tree, else the scanned folder).",
            HelpName = "folder",
        };

        var requireComplete = new Option<bool>("--require-complete")
        {
            Description = "Exit with code 7 when the scan is partial: a C# project was skipped because it is missing, does not restore or does not load.",
        };

        var command = new RootCommand(
            "hipaa-scan: scans a .NET solution or project with every HipaaAnalyzers rule (PHI exposure, cryptography, secrets, " +
            "access control, audit and configuration) without changing it: findings on the console, in SARIF and in an HTML " +
            "report with PHI and endpoint inventories; --fix applies the code fixes. Exit codes: 0 no finding at the --fail-on " +
            "severity, 1 findings at it, 2 invalid arguments or a report that cannot be written, 3 nothing to scan at the path, " +
            "4 no .NET SDK installed, 5 no project restored and loaded, 6 scan failed, 7 partial scan with --require-complete.")
        {
            path, sarif, html, failOn, fix, dryRun, noRestore, top, sourceRoot, requireComplete,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(dryRun) && !result.GetValue(fix))
            {
                result.AddError("--dry-run only works with --fix.");
            }
        });
        command.SetAction((result, cancellationToken) =>
        {
            var options = new ScanOptions(
                result.GetValue(path) ?? ".",
                result.GetValue(sarif),
                result.GetValue(html),
                result.GetValue(failOn) switch
                {
                    "error" => FindingLevel.Error,
                    "warning" => FindingLevel.Warning,
                    "note" => FindingLevel.Note,
                    _ => null,
                },
                result.GetValue(fix),
                result.GetValue(dryRun),
                result.GetValue(noRestore),
                result.GetValue(top),
                result.GetValue(sourceRoot),
                result.GetValue(requireComplete));
            return Runner.RunAsync(options, ui, cancellationToken);
        });
        return command;
    }
}
