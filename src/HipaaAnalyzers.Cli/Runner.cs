using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using HipaaAnalyzers.Cli.Reports;

namespace HipaaAnalyzers.Cli;

/// <summary>One run of the scanner: resolve the path, find the SDK, restore, load, analyze, fix, report.</summary>
public static class Runner
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(ScanOptions options, Ui ui, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();

        // A report that cannot be written is found out now, not after minutes of scanning.
        var reportProblems = ReportFiles.Check(options.SarifPath, options.HtmlPath);
        if (reportProblems.Count > 0)
        {
            foreach (var reportProblem in reportProblems)
            {
                ui.Error(reportProblem);
            }

            return ExitCodes.InvalidArguments;
        }

        var target = ScanTarget.Resolve(options.Path, out var problem);
        if (target is null)
        {
            ui.Error(problem);
            return ExitCodes.PathNotFound;
        }

        if (options.SourceRoot is not null && !Directory.Exists(options.SourceRoot))
        {
            ui.Error($"The source root '{options.SourceRoot}' does not exist.");
            return ExitCodes.PathNotFound;
        }

        var sdk = Sdk.Find(target.Directory, out problem);
        if (sdk is null)
        {
            ui.Error(problem);
            return ExitCodes.SdkNotFound;
        }

        using (sdk)
        {
            var warnings = new List<string>();
            if (sdk.Warning is not null)
            {
                ui.Warning(sdk.Warning);
                warnings.Add(sdk.Warning);
            }

            var sourceRoot = options.SourceRoot is not null
                ? Path.GetFullPath(options.SourceRoot)
                : PathText.GitRoot(target.Directory) ?? target.Directory;
            ui.Progress($"Scanning {target.Describe()} with .NET SDK {sdk.Instance.Version}");
            var skipped = new List<SkippedProject>(target.Skipped);
            foreach (var entry in target.Skipped)
            {
                var text = $"{PathText.Relative(sourceRoot, entry.FullPath) ?? entry.FullPath} is skipped: {entry.Reason}.";
                if (entry.MakesScanPartial)
                {
                    ui.Warning(text);
                }
                else
                {
                    ui.Note(text);
                }
            }

            var projects = target.ProjectPaths;
            if (!options.NoRestore)
            {
                var watch = Stopwatch.StartNew();
                ui.Progress("Restoring ...");
                var (dotnet, prefix) = Sdk.DotnetCommand(sdk);
                var restore = new Restorer(dotnet, prefix, target.Directory, RestoreTimeout, ui).Restore(target);
                if (restore.Fatal is not null)
                {
                    ui.Error(restore.Fatal);
                    return ExitCodes.SdkNotFound;
                }

                foreach (var project in projects.Where(restore.Failed.ContainsKey))
                {
                    var failure = restore.Failed[project];
                    var shown = PathText.Relative(sourceRoot, project) ?? project;
                    ui.Warning(failure.Kind == SkipKind.SdkNotResolved
                        ? $"{shown} is skipped: {failure.Reason}:"
                        : $"{shown} does not restore, so it is skipped:");
                    foreach (var line in failure.Lines)
                    {
                        ui.Err.WriteLine("  " + line);
                    }

                    skipped.Add(new SkippedProject(Path.GetFileNameWithoutExtension(project), project, failure.Kind, failure.Reason));
                }

                projects = projects.Where(p => !restore.Failed.ContainsKey(p)).ToList();
                if (projects.Count == 0)
                {
                    ui.Error("No project restores, so nothing was scanned.");
                    return ExitCodes.ProjectLoadFailed;
                }

                ui.Progress($"Restored in {watch.Elapsed.TotalSeconds:0.0} s.");
            }

            // From here on MSBuild types may load: the SDK's MSBuild must be registered first.
            Sdk.Register(sdk.Instance);
            return await ScanAndReportAsync(options, target, projects, skipped, warnings, sourceRoot, ui, started, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> ScanAndReportAsync(
        ScanOptions options,
        ScanTarget target,
        IReadOnlyList<string> projects,
        IReadOnlyList<SkippedProject> skipped,
        IReadOnlyList<string> warnings,
        string sourceRoot,
        Ui ui,
        DateTimeOffset started,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        Scanner scanner;
        try
        {
            scanner = await Scanner.LoadAsync(target, projects, skipped, warnings, sourceRoot, ui, cancellationToken).ConfigureAwait(false);
        }
        catch (ProjectLoadException e)
        {
            ui.Error(e.Message);
            return ExitCodes.ProjectLoadFailed;
        }

        using (scanner)
        {
            var shown = target.SolutionPath ?? (target.ProjectPaths.Count == 1 ? target.ProjectPaths[0] : Path.GetFullPath(target.Input));
            var display = PathText.Relative(Directory.GetCurrentDirectory(), shown) ?? shown;
            var result = await scanner.ScanAsync(display, started, clock, null, cancellationToken).ConfigureAwait(false);
            bool fixFailed = false;
            if (options.Fix)
            {
                var before = result.Findings.Count;
                ui.Progress("Applying code fixes ...");
                var outcome = await FixRunner.FixAsync(scanner, cancellationToken).ConfigureAwait(false);
                foreach (var fixProblem in outcome.Problems)
                {
                    ui.Error(fixProblem);
                }

                fixFailed = outcome.Problems.Count > 0;
                if (options.DryRun)
                {
                    var writer = ui.Out.Profile.Out.Writer;
                    foreach (var file in outcome.Files)
                    {
                        var name = file.RelativePath ?? file.FullPath;
                        writer.Write(UnifiedDiff.Create("a/" + name, "b/" + name, file.Before.ToString(), file.After.ToString()));
                    }

                    writer.Flush();
                    ui.Progress($"Dry run: the fixes would change {Scanner.Plural(outcome.Files.Count, "file")}; nothing was written.");
                }
                else
                {
                    FixRunner.Write(outcome.Files);
                    ui.Progress("Analyzing the fixed code ...");
                    result = await scanner.ScanAsync(display, started, clock, outcome.Solution, cancellationToken).ConfigureAwait(false);
                    ui.Progress(
                        $"Fixed {before - result.Findings.Count} of {Scanner.Plural(before, "finding")} in {Scanner.Plural(outcome.Files.Count, "file")}; " +
                        $"{result.Findings.Count} remain.");
                    foreach (var file in outcome.Files)
                    {
                        ui.Progress("  wrote " + (file.RelativePath ?? file.FullPath));
                    }
                }
            }

            ConsoleReport.Write(result, ui, options.Top, Directory.GetCurrentDirectory(), options.RequireComplete);
            var reportFailures = ReportFiles.Write(result, options.SarifPath, options.HtmlPath, ui);
            return ExitCode(result, fixFailed, reportFailures.Count > 0, options);
        }
    }

    /// <summary>
    /// Which exit code wins when several apply: a report that cannot be written (2), then a failed analyzer or fix (6),
    /// then findings at the --fail-on severity (1), then a partial scan with --require-complete (7).
    /// </summary>
    public static int ExitCode(ScanResult result, bool fixFailed, bool reportFailed, ScanOptions options)
    {
        if (reportFailed)
        {
            return ExitCodes.InvalidArguments;
        }

        if (result.Problems.Count > 0 || fixFailed)
        {
            return ExitCodes.ScanFailed;
        }

        if (options.FailOn is { } threshold && result.Findings.Any(f => f.Level >= threshold))
        {
            return ExitCodes.FindingsAtFailOnSeverity;
        }

        return options.RequireComplete && result.IsPartial ? ExitCodes.PartialScan : ExitCodes.Success;
    }
}
