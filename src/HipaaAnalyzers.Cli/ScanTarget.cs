using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HipaaAnalyzers.Cli;

/// <summary>What to scan: a solution (.sln, .slnx) or a set of C# projects, resolved from the path on the command line.</summary>
public sealed class ScanTarget
{
    private static readonly Regex SlnProject = new(
        "^Project\\(\"\\{[^}]+\\}\"\\)\\s*=\\s*\"[^\"]*\"\\s*,\\s*\"(?<path>[^\"]+)\"", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", "node_modules", ".git", ".vs", ".idea", "artifacts", "TestResults",
    };

    private ScanTarget(string input, string? solutionPath, IReadOnlyList<string> projectPaths)
    {
        Input = input;
        SolutionPath = solutionPath;
        ProjectPaths = projectPaths;
    }

    /// <summary>The path as given on the command line.</summary>
    public string Input { get; }

    /// <summary>The solution file, when the target is one.</summary>
    public string? SolutionPath { get; }

    /// <summary>Full paths of the C# projects to scan (a solution's own projects, not what they reference from outside it).</summary>
    public IReadOnlyList<string> ProjectPaths { get; }

    /// <summary>The folder whose global.json picks the SDK, and where restore runs.</summary>
    public string Directory => Path.GetDirectoryName(SolutionPath ?? ProjectPaths[0])!;

    /// <summary>What restore is run on: the solution, or each project.</summary>
    public IReadOnlyList<string> RestoreTargets => SolutionPath is null ? ProjectPaths : new[] { SolutionPath };

    public string Describe() => SolutionPath is not null
        ? Path.GetFileName(SolutionPath) + " (" + Plural(ProjectPaths.Count, "project") + ")"
        : ProjectPaths.Count == 1 ? Path.GetFileName(ProjectPaths[0]) : Plural(ProjectPaths.Count, "project");

    /// <summary>Resolves a path to a solution or projects; returns null with a message when there is nothing to scan.</summary>
    public static ScanTarget? Resolve(string input, out string error)
    {
        error = string.Empty;
        var full = Path.GetFullPath(input);
        if (File.Exists(full))
        {
            switch (Path.GetExtension(full).ToLowerInvariant())
            {
                case ".sln":
                case ".slnx":
                    return FromSolution(input, full, out error);
                case ".csproj":
                    return new ScanTarget(input, null, new[] { full });
                default:
                    error = $"'{input}' is not a .sln, .slnx or .csproj file, nor a folder.";
                    return null;
            }
        }

        if (!System.IO.Directory.Exists(full))
        {
            error = $"The path '{input}' does not exist.";
            return null;
        }

        var solutions = System.IO.Directory.GetFiles(full, "*.sln").Concat(System.IO.Directory.GetFiles(full, "*.slnx"))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        if (solutions.Count == 1)
        {
            return FromSolution(input, solutions[0], out error);
        }

        if (solutions.Count > 1)
        {
            error = $"'{input}' holds several solutions ({string.Join(", ", solutions.Select(Path.GetFileName))}); pass the one to scan.";
            return null;
        }

        var projects = System.IO.Directory.GetFiles(full, "*.csproj").OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (projects.Count == 0)
        {
            projects = FindProjects(full).OrderBy(p => p, StringComparer.Ordinal).ToList();
        }

        if (projects.Count == 0)
        {
            error = $"'{input}' holds no .sln, .slnx or .csproj file.";
            return null;
        }

        return new ScanTarget(input, null, projects);
    }

    private static ScanTarget? FromSolution(string input, string solution, out string error)
    {
        error = string.Empty;
        var directory = Path.GetDirectoryName(solution)!;
        IEnumerable<string> relative;
        try
        {
            relative = Path.GetExtension(solution).Equals(".slnx", StringComparison.OrdinalIgnoreCase)
                ? XDocument.Load(solution).Descendants().Where(e => e.Name.LocalName == "Project").Select(e => (string?)e.Attribute("Path") ?? string.Empty)
                : SlnProject.Matches(File.ReadAllText(solution)).Select(m => m.Groups["path"].Value);
        }
        catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
        {
            error = $"Cannot read the solution '{input}': {e.Message}";
            return null;
        }

        var projects = relative
            .Where(p => p.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            .Select(p => Path.GetFullPath(Path.Combine(directory, p.Replace('\\', Path.DirectorySeparatorChar))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (projects.Count == 0)
        {
            error = $"The solution '{input}' holds no C# project.";
            return null;
        }

        var missing = projects.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
        {
            error = $"The solution '{input}' names a project that does not exist: {missing}";
            return null;
        }

        return new ScanTarget(input, solution, projects);
    }

    private static IEnumerable<string> FindProjects(string directory)
    {
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            string[] files;
            string[] folders;
            try
            {
                files = System.IO.Directory.GetFiles(current, "*.csproj");
                folders = System.IO.Directory.GetDirectories(current);
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var file in files)
            {
                yield return file;
            }

            foreach (var folder in folders)
            {
                if (!SkippedFolders.Contains(Path.GetFileName(folder)))
                {
                    pending.Push(folder);
                }
            }
        }
    }

    private static string Plural(int count, string noun) => count + " " + noun + (count == 1 ? string.Empty : "s");
}
