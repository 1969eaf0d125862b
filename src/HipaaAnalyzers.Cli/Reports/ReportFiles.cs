using System;
using System.Collections.Generic;
using System.IO;
using Spectre.Console;

namespace HipaaAnalyzers.Cli.Reports;

/// <summary>
/// The --sarif and --html files: checked before the scan (a folder given as the file, a parent that is a file, a folder
/// where nothing can be written), then written one independently of the other.
/// </summary>
public static class ReportFiles
{
    /// <summary>Why the report files cannot be written, one message per problem; empty when both can.</summary>
    public static IReadOnlyList<string> Check(string? sarifPath, string? htmlPath)
    {
        var problems = new List<string>();
        if (sarifPath is not null && CheckOne("--sarif", sarifPath) is { } sarifProblem)
        {
            problems.Add(sarifProblem);
        }

        if (htmlPath is not null && CheckOne("--html", htmlPath) is { } htmlProblem)
        {
            problems.Add(htmlProblem);
        }

        if (sarifPath is not null && htmlPath is not null && problems.Count == 0 &&
            ScanTarget.PathComparer.Equals(Path.GetFullPath(sarifPath), Path.GetFullPath(htmlPath)))
        {
            problems.Add($"--sarif and --html name the same file, '{sarifPath}'; give each report its own.");
        }

        return problems;
    }

    /// <summary>Why <paramref name="path"/> cannot be written as the report of <paramref name="option"/>, or null.</summary>
    public static string? CheckOne(string option, string path)
    {
        string full;
        try
        {
            full = Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"{option} '{path}' is not a valid file path: {e.Message}";
        }

        if (Directory.Exists(full) || Path.EndsInDirectorySeparator(path))
        {
            return $"{option} '{path}' is a folder; give the report's file name, for example '{Path.Combine(path, option == "--sarif" ? "hipaa.sarif" : "hipaa-report.html")}'.";
        }

        if (File.Exists(full))
        {
            try
            {
                // Opened for writing without truncating: the previous report stays until the new one replaces it.
                using var stream = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                return null;
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                return $"{option} '{path}' cannot be written: {e.Message}";
            }
        }

        // The folders that do not exist yet are created; the nearest one that exists must be a folder that takes new files.
        var existing = Path.GetDirectoryName(full);
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                return $"{option} '{path}' cannot be written: '{existing}' is a file, not a folder.";
            }

            existing = Path.GetDirectoryName(existing);
        }

        if (existing is null)
        {
            return $"{option} '{path}' cannot be written: no folder on its path exists.";
        }

        try
        {
            var probe = Path.Combine(existing, ".hipaa-scan-" + Guid.NewGuid().ToString("N") + ".tmp");
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return $"{option} '{path}' cannot be written: no file can be created in '{existing}' ({e.Message}).";
        }
    }

    /// <summary>Writes each report that was asked for, whether or not the other one could be written; returns the failures.</summary>
    public static IReadOnlyList<string> Write(ScanResult result, string? sarifPath, string? htmlPath, Ui ui)
    {
        var failures = new List<string>();
        if (sarifPath is not null)
        {
            Write("SARIF", sarifPath, () => SarifReport.Write(result, sarifPath), ui, failures);
        }

        if (htmlPath is not null)
        {
            Write("HTML report", htmlPath, () => HtmlReport.Write(result, htmlPath), ui, failures);
        }

        return failures;
    }

    private static void Write(string name, string path, Action write, Ui ui, List<string> failures)
    {
        try
        {
            write();
            ui.Out.MarkupLine(Markup.Escape(name + ": " + Path.GetFullPath(path)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var failure = $"Cannot write the {name} to '{path}': {e.Message}";
            ui.Error(failure);
            failures.Add(failure);
        }
    }
}
