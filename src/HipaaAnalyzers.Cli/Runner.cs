using System;
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

        ui.Progress($"Scanning {target.Describe()} with .NET SDK {sdk.Version}");
        if (!options.NoRestore)
        {
            var watch = Stopwatch.StartNew();
            ui.Progress("Restoring ...");
            var restore = Sdk.Restore(Sdk.DotnetExecutable(sdk), target.RestoreTargets, target.Directory, RestoreTimeout);
            if (!restore.Succeeded)
            {
                ui.Error(restore.SdkMissing
                    ? $"The .NET SDK that {restore.FailedTarget} needs was not found:"
                    : $"{restore.FailedTarget} does not restore, so it cannot be analyzed:");
                foreach (var line in restore.ErrorLines())
                {
                    ui.Err.WriteLine("  " + line);
                }

                return restore.SdkMissing ? ExitCodes.SdkNotFound : ExitCodes.ProjectLoadFailed;
            }

            ui.Progress($"Restored in {watch.Elapsed.TotalSeconds:0.0} s.");
        }

        // From here on MSBuild types may load: the SDK's MSBuild must be registered first.
        Sdk.Register(sdk);
        return await ScanAndReportAsync(options, target, ui, started, clock, cancellationToken).ConfigureAwait(false);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<int> ScanAndReportAsync(
        ScanOptions options, ScanTarget target, Ui ui, DateTimeOffset started, Stopwatch clock, CancellationToken cancellationToken)
    {
        var sourceRoot = options.SourceRoot is not null
            ? Path.GetFullPath(options.SourceRoot)
            : PathText.GitRoot(target.Directory) ?? target.Directory;

        Scanner scanner;
        try
        {
            scanner = await Scanner.LoadAsync(target, sourceRoot, ui, cancellationToken).ConfigureAwait(false);
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

            ConsoleReport.Write(result, ui, options.Top);
            try
            {
                if (options.SarifPath is not null)
                {
                    SarifReport.Write(result, options.SarifPath);
                    ui.Out.MarkupLine("SARIF: " + Markup.Escape(Path.GetFullPath(options.SarifPath)));
                }

                if (options.HtmlPath is not null)
                {
                    HtmlReport.Write(result, options.HtmlPath);
                    ui.Out.MarkupLine("HTML report: " + Markup.Escape(Path.GetFullPath(options.HtmlPath)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ui.Error("Cannot write the report: " + e.Message);
                return ExitCodes.InvalidArguments;
            }

            if (result.Problems.Count > 0 || fixFailed)
            {
                return ExitCodes.ScanFailed;
            }

            return options.FailOn is { } threshold && result.Findings.Any(f => f.Level >= threshold)
                ? ExitCodes.FindingsAtFailOnSeverity
                : ExitCodes.Success;
        }
    }
}
