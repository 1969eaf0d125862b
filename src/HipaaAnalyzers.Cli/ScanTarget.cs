using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HipaaAnalyzers.Cli;

/// <summary>
/// What to scan: a solution (.sln, .slnx), a solution filter (.slnf) or a set of C# projects, resolved from the path on the
/// command line. The solution's entries that cannot be scanned (projects that are not C#, project files that do not exist)
/// are listed in <see cref="Skipped"/>, each with the reason.
/// </summary>
public sealed class ScanTarget
{
    private const string SolutionFolderType = "2150E333-8FDC-42A3-9474-1A3956D46DE8";

    private static readonly Regex SlnProject = new(
        "^Project\\(\"\\{(?<type>[^}]+)\\}\"\\)\\s*=\\s*\"[^\"]*\"\\s*,\\s*\"(?<path>[^\"]+)\"", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", "node_modules", ".git", ".vs", ".idea", "artifacts", "TestResults",
    };

    private static readonly Dictionary<string, string> OtherProjectKinds = new(StringComparer.OrdinalIgnoreCase)
    {
        [".vbproj"] = "a Visual Basic project",
        [".fsproj"] = "an F# project",
        [".esproj"] = "a JavaScript or TypeScript project",
        [".njsproj"] = "a Node.js project",
        [".sqlproj"] = "a SQL Server database project",
        [".vcxproj"] = "a C++ project",
        [".dcproj"] = "a Docker Compose project",
        [".wapproj"] = "a Windows packaging project",
        [".wixproj"] = "a WiX installer project",
        [".pyproj"] = "a Python project",
        [".sfproj"] = "a Service Fabric application project",
    };

    private readonly string? _folder;

    private ScanTarget(
        string input, string? solutionPath, string? solutionFile, IReadOnlyList<string> projectPaths, IReadOnlyList<SkippedProject> skipped, string? folder = null)
    {
        _folder = folder;
        Input = input;
        SolutionPath = solutionPath;
        SolutionFile = solutionFile;
        ProjectPaths = projectPaths;
        Skipped = skipped;
    }

    /// <summary>The path as given on the command line.</summary>
    public string Input { get; }

    /// <summary>The solution or solution filter file, when the target is one.</summary>
    public string? SolutionPath { get; }

    /// <summary>The .sln or .slnx file: the solution itself, or the one a solution filter filters.</summary>
    public string? SolutionFile { get; }

    /// <summary>Full paths of the C# projects to scan (a solution's own projects, not what they reference from outside it).</summary>
    public IReadOnlyList<string> ProjectPaths { get; }

    /// <summary>The solution's entries that are not scanned: projects that are not C#, and project files that do not exist.</summary>
    public IReadOnlyList<SkippedProject> Skipped { get; }

    /// <summary>
    /// The folder whose global.json picks the SDK, where restore runs and, outside a git work tree, what report paths are
    /// relative to: the folder given, the solution's folder (also for a solution filter kept elsewhere), or the project's.
    /// </summary>
    public string Directory => _folder ?? Path.GetDirectoryName(SolutionFile ?? ProjectPaths[0])!;

    /// <summary>What restore is run on: the solution (or filter), or each project.</summary>
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
                case ".slnf":
                    return FromSolutionFilter(input, full, out error);
                case ".csproj":
                    return new ScanTarget(input, null, null, new[] { full }, Array.Empty<SkippedProject>());
                default:
                    error = $"'{input}' is not a .sln, .slnx, .slnf or .csproj file, nor a folder.";
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

        return new ScanTarget(input, null, null, projects, Array.Empty<SkippedProject>(), Path.TrimEndingDirectorySeparator(full));
    }

    /// <summary>
    /// A solution filter: JSON with the solution's path (relative to the filter's folder) and the projects to keep, written
    /// as the solution writes them (relative to the solution's folder), as Visual Studio and MSBuild read it.
    /// </summary>
    private static ScanTarget? FromSolutionFilter(string input, string filter, out string error)
    {
        string? solutionPath;
        List<string> projects;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(filter), new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            var solution = document.RootElement.GetProperty("solution");
            solutionPath = solution.GetProperty("path").GetString();
            projects = solution.TryGetProperty("projects", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(p => p.GetString()).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!).ToList()
                : new List<string>();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            error = $"Cannot read the solution filter '{input}': {(e is KeyNotFoundException ? "it has no \"solution\": {{ \"path\": ... }}" : e.Message)}";
            return null;
        }

        if (string.IsNullOrWhiteSpace(solutionPath))
        {
            error = $"The solution filter '{input}' names no solution (\"solution\": {{ \"path\": ... }}).";
            return null;
        }

        var filterDirectory = Path.GetDirectoryName(filter)!;
        var solutionFile = Path.GetFullPath(Path.Combine(filterDirectory, Native(solutionPath)));
        if (!File.Exists(solutionFile))
        {
            error = $"The solution filter '{input}' names a solution that does not exist: {solutionFile}";
            return null;
        }

        // The projects are relative to the solution's folder; a filter kept elsewhere may have written them relative to its own.
        var solutionDirectory = Path.GetDirectoryName(solutionFile)!;
        var entries = projects.Select(p =>
        {
            var fromSolution = Path.GetFullPath(Path.Combine(solutionDirectory, Native(p)));
            var fromFilter = Path.GetFullPath(Path.Combine(filterDirectory, Native(p)));
            return !File.Exists(fromSolution) && File.Exists(fromFilter) ? fromFilter : fromSolution;
        });
        return FromEntries(input, filter, solutionFile, entries, out error);
    }

    private static ScanTarget? FromSolution(string input, string solutionFile, out string error)
    {
        error = string.Empty;
        var directory = Path.GetDirectoryName(solutionFile)!;
        IEnumerable<string> relative;
        try
        {
            relative = Path.GetExtension(solutionFile).Equals(".slnx", StringComparison.OrdinalIgnoreCase)
                ? XDocument.Load(solutionFile).Descendants().Where(e => e.Name.LocalName == "Project").Select(e => (string?)e.Attribute("Path") ?? string.Empty)
                : SlnProject.Matches(File.ReadAllText(solutionFile))
                    .Where(m => !m.Groups["type"].Value.Equals(SolutionFolderType, StringComparison.OrdinalIgnoreCase))
                    .Select(m => m.Groups["path"].Value);
        }
        catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
        {
            error = $"Cannot read the solution '{input}': {e.Message}";
            return null;
        }

        var entries = relative
            .Where(p => p.Length > 0)
            .Select(p => Path.GetFullPath(Path.Combine(directory, Native(p))))
            .ToList();
        return FromEntries(input, solutionFile, solutionFile, entries, out error);
    }

    private static ScanTarget? FromEntries(string input, string solutionPath, string solutionFile, IEnumerable<string> entries, out string error)
    {
        error = string.Empty;
        var projects = new List<string>();
        var skipped = new List<SkippedProject>();
        foreach (var entry in entries.Distinct(PathComparer))
        {
            var extension = Path.GetExtension(entry);
            var name = Path.GetFileNameWithoutExtension(entry);
            if (extension.Equals(".csproj", StringComparison.OrdinalIgnoreCase))
            {
                if (File.Exists(entry))
                {
                    projects.Add(entry);
                }
                else
                {
                    skipped.Add(new SkippedProject(name, entry, SkipKind.Missing, "the solution names this project, but the file does not exist"));
                }
            }
            else if (extension.Equals(".shproj", StringComparison.OrdinalIgnoreCase))
            {
                skipped.Add(new SkippedProject(name, entry, SkipKind.NotCSharp,
                    "a shared project (.shproj): its files are scanned with the C# projects that import them"));
            }
            else if (extension.Length == 0)
            {
                skipped.Add(new SkippedProject(Path.GetFileName(entry.TrimEnd('/', '\\')), entry, SkipKind.NotCSharp,
                    "not an MSBuild project file (a web site project?), so not C# the scanner can load"));
            }
            else
            {
                var kind = OtherProjectKinds.TryGetValue(extension, out var known) ? known : "a project that is not C#";
                skipped.Add(new SkippedProject(name, entry, SkipKind.NotCSharp, $"{kind} ({extension.ToLowerInvariant()}); hipaa-scan analyzes C# only"));
            }
        }

        if (projects.Count == 0)
        {
            var missing = skipped.Where(s => s.Kind == SkipKind.Missing).Select(s => s.FullPath).ToList();
            error = missing.Count > 0
                ? $"The solution '{input}' names no C# project that exists; missing: {string.Join(", ", missing)}"
                : $"The solution '{input}' holds no C# project.";
            return null;
        }

        return new ScanTarget(input, solutionPath, solutionFile, projects, skipped);
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

    /// <summary>Solutions and filters write '\' on every platform.</summary>
    private static string Native(string path) => path.Replace('\\', Path.DirectorySeparatorChar).Replace('/', Path.DirectorySeparatorChar);

    internal static StringComparer PathComparer => OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private static string Plural(int count, string noun) => count + " " + noun + (count == 1 ? string.Empty : "s");
}
