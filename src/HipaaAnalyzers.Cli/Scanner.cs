using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.AspNetCore;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

namespace HipaaAnalyzers.Cli;

/// <summary>Raised when the target cannot be loaded; the message says which project and why.</summary>
public sealed class ProjectLoadException : Exception
{
    public ProjectLoadException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Loads the target through MSBuildWorkspace and runs the HipaaAnalyzers rules, the PHI inventory and the endpoint
/// inventory on each project. Only called after MSBuildLocator has registered the SDK.
/// </summary>
public sealed class Scanner : IDisposable
{
    private readonly MSBuildWorkspace _workspace;
    private readonly Ui _ui;
    private readonly ConcurrentBag<WorkspaceDiagnostic> _workspaceDiagnostics = new();
    private readonly ConcurrentDictionary<string, string> _frameworks = new(StringComparer.Ordinal);

    private const int MaxWarningsShown = 10;

    private static readonly Regex UnresolvedSdk = new(
        @"Could not resolve SDK ""(?<sdk>[^""]+)""|The SDK '(?<sdk>[^']+)' specified could not be found|SDK '(?<sdk>[^']+)' could not be resolved",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex MSBuildFailure = new(
        "^Msbuild failed when processing the file '(?<file>[^']+)' with message: (?<message>.*)$",
        RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private readonly List<SkippedProject> _skipped = new();
    private readonly List<string> _warnings = new();

    private Scanner(Ui ui, IDictionary<string, string> properties)
    {
        _ui = ui;
        _workspace = MSBuildWorkspace.Create(properties);
        _workspace.RegisterWorkspaceFailedHandler(e => _workspaceDiagnostics.Add(e.Diagnostic));
    }

    public Solution Solution => _workspace.CurrentSolution;

    /// <summary>The scanned projects: one entry per project file, with a Project per target framework.</summary>
    public IReadOnlyList<ProjectGroup> Projects { get; private set; } = Array.Empty<ProjectGroup>();

    /// <summary>The target's projects that are not scanned, and why (those given to <see cref="LoadAsync"/> and those that did not load).</summary>
    public IReadOnlyList<SkippedProject> Skipped => _skipped;

    /// <summary>What the reports repeat as warnings: the SDK chosen instead of global.json's, restore and load diagnostics.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public string SourceRoot { get; private set; } = string.Empty;

    /// <summary>
    /// Loads each of <paramref name="projects"/> (the target's C# projects that restored). A project that yields a
    /// compilation is scanned, whatever restore and evaluation reported about it; one that does not load is skipped.
    /// </summary>
    public static async Task<Scanner> LoadAsync(
        ScanTarget target,
        IReadOnlyList<string> projects,
        IReadOnlyList<SkippedProject> skipped,
        IReadOnlyList<string> warnings,
        string sourceRoot,
        Ui ui,
        CancellationToken cancellationToken)
    {
        // As a solution build does: some projects import files relative to $(SolutionDir).
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (target.SolutionFile is not null)
        {
            properties["SolutionDir"] = Path.GetDirectoryName(target.SolutionFile)! + Path.DirectorySeparatorChar;
        }

        var scanner = new Scanner(ui, properties) { SourceRoot = sourceRoot };
        scanner._skipped.AddRange(skipped);
        scanner._warnings.AddRange(warnings);
        try
        {
            await scanner.OpenAsync(projects, cancellationToken).ConfigureAwait(false);
            return scanner;
        }
        catch
        {
            scanner.Dispose();
            throw;
        }
    }

    public void Dispose() => _workspace.Dispose();

    private async Task OpenAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var progress = new LoadProgress(_ui, SourceRoot, _frameworks);
        var exceptions = new Dictionary<string, string>(ScanTarget.PathComparer);
        foreach (var path in paths)
        {
            // A project another one references is loaded with it.
            if (_workspace.CurrentSolution.Projects.Any(p => SamePath(p.FilePath, path)))
            {
                continue;
            }

            _ui.Progress("Loading " + Display(path) + " ...");
            try
            {
                await _workspace.OpenProjectAsync(path, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                exceptions[path] = e.Message;
            }
        }

        var groups = new List<ProjectGroup>();
        foreach (var path in paths)
        {
            var projects = _workspace.CurrentSolution.Projects
                .Where(p => SamePath(p.FilePath, path) && p.Language == LanguageNames.CSharp && p.SupportsCompilation)
                .ToList();
            var failures = Messages(path, WorkspaceDiagnosticKind.Failure).ToList();

            // Only a project without a compilation, or without documents because its design-time build failed, is a load failure.
            var loaded = projects.Count > 0 && (projects.Any(p => p.DocumentIds.Count > 0) || (failures.Count == 0 && !exceptions.ContainsKey(path)));
            if (!loaded)
            {
                var reason = exceptions.TryGetValue(path, out var message)
                    ? message
                    : failures.FirstOrDefault() ?? "MSBuildWorkspace loaded no C# project from it";
                var sdk = UnresolvedSdk.Match(reason);
                var skip = sdk.Success
                    ? new SkippedProject(Path.GetFileNameWithoutExtension(path), path, SkipKind.SdkNotResolved, $"its MSBuild SDK '{sdk.Groups["sdk"].Value}' cannot be resolved")
                    : new SkippedProject(Path.GetFileNameWithoutExtension(path), path, SkipKind.LoadFailed, "does not load: " + OneLine(reason));
                _skipped.Add(skip);
                _ui.Warning($"{Display(path)} is skipped: {skip.Reason}");
                continue;
            }

            groups.Add(new ProjectGroup(path, Path.GetFileNameWithoutExtension(path), projects.Select(p => p.Id).ToList()));
        }

        // Restore and evaluation diagnostics about the scanned projects (NU1603, NU1608, NU1510 ...) do not stop the scan;
        // referenced projects outside the target are not this scan's business.
        var warnings = groups
            .SelectMany(g => Messages(g.Path, WorkspaceDiagnosticKind.Failure).Concat(Messages(g.Path, WorkspaceDiagnosticKind.Warning)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var warning in warnings.Take(MaxWarningsShown))
        {
            _ui.Warning(warning);
        }

        if (warnings.Count > MaxWarningsShown)
        {
            _ui.Warning($"... and {Plural(warnings.Count - MaxWarningsShown, "more warning")} (the SARIF and HTML reports list them all).");
        }

        _warnings.AddRange(warnings);
        if (groups.Count == 0)
        {
            throw new ProjectLoadException("No project could be loaded, so nothing was scanned.");
        }

        Projects = groups;
        _ui.Progress($"Loaded {Plural(groups.Count, "project")} in {watch.Elapsed.TotalSeconds:0.0} s.");
    }

    /// <summary>Runs the rules and the inventories on every project of the target.</summary>
    public async Task<ScanResult> ScanAsync(
        string targetDisplay, DateTimeOffset started, Stopwatch clock, Solution? solution, CancellationToken cancellationToken)
    {
        solution ??= Solution;
        var rules = HipaaRules.Instance;
        var summaries = new List<ProjectSummary>();
        var findings = new Dictionary<string, Finding>(StringComparer.Ordinal);
        var phi = new Dictionary<string, PhiItem>(StringComparer.Ordinal);
        var endpoints = new Dictionary<string, EndpointItem>(StringComparer.Ordinal);
        var notes = new List<string>();
        var problems = new List<string>();
        int number = 0;
        foreach (var group in Projects)
        {
            number++;
            var watch = Stopwatch.StartNew();
            int projectFindings = 0;
            int compilerErrors = 0;
            string? firstError = null;
            var frameworks = new List<string>();
            foreach (var projectId in group.ProjectIds)
            {
                var project = solution.GetProject(projectId)!;
                frameworks.Add(TargetFramework(project, group.ProjectIds.Count));
                var analysis = await AnalyzeAsync(project, cancellationToken).ConfigureAwait(false);
                problems.AddRange(analysis.Problems);
                var errors = analysis.CompilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                compilerErrors = Math.Max(compilerErrors, errors.Count);
                firstError ??= errors.Select(e => e.ToString()).FirstOrDefault();

                foreach (var diagnostic in analysis.RuleDiagnostics)
                {
                    var finding = ToFinding(diagnostic, group);
                    var key = string.Join("|", finding.RuleId, finding.FullPath, finding.StartLine, finding.StartColumn, finding.Message);
                    if (findings.TryAdd(key, finding))
                    {
                        projectFindings++;
                    }
                }

                var inventory = PhiInventory.Create(analysis.Compilation, project.AnalyzerOptions);
                foreach (var entry in inventory.CollectMembers(cancellationToken))
                {
                    var (path, line) = Place(entry.Location);
                    var item = new PhiItem(entry.Member, entry.Kind.ToString().ToLowerInvariant(), entry.ValueType, entry.Reason,
                        EvidenceText(entry.Evidence), path, line, group.Name);
                    phi.TryAdd(path + "|" + entry.Member + "|" + entry.Kind, item);
                }

                var endpointModel = EndpointModel.For(analysis.Compilation);
                var discovered = endpointModel.Discover(project.AnalyzerOptions, cancellationToken);
                foreach (var endpoint in discovered.Endpoints)
                {
                    var (path, line) = Place(endpoint.Location);
                    var handled = endpoint.Handler is null
                        ? ImmutableArray<string>.Empty
                        : inventory.DescribeHandledPhi(endpoint.Handler, discovered.Conventions.IsService, cancellationToken);

                    // An endpoint that loads, changes or deletes PHI records through EF Core handles PHI too.
                    if (handled.IsEmpty &&
                        endpointModel.DescribeRecordAccess(endpoint, inventory, project.AnalyzerOptions, discovered.Conventions, cancellationToken) is { } records)
                    {
                        handled = ImmutableArray.Create(records);
                    }
                    var item = new EndpointItem(
                        endpoint.VerbsText, endpoint.Route, endpoint.RouteIsComplete, endpoint.HandlerName,
                        endpoint.Kind switch { EndpointKind.MinimalApi => "minimal API", EndpointKind.PageHandler => "Razor Page", _ => "controller" },
                        endpoint.Authorization.Describe(), endpoint.Authorization.IsProtected, endpoint.Authorization.AllowsAnonymous,
                        endpoint.Authorization.Sources, endpoint.Audit.Describe(), endpoint.Audit.IsAudited, endpoint.Audit.Sources,
                        handled, path, line, group.Name);
                    endpoints.TryAdd(item.Verbs + " " + item.Route + " " + item.Handler, item);
                }

                foreach (var note in discovered.Conventions.Notes)
                {
                    var text = group.Name + ": " + note;
                    if (!notes.Contains(text))
                    {
                        notes.Add(text);
                    }
                }
            }

            summaries.Add(new ProjectSummary(group.Name, Display(group.Path), frameworks, projectFindings, compilerErrors, firstError, watch.Elapsed));
            var frameworkText = frameworks.Count > 0 && frameworks.Any(f => f.Length > 0) ? " (" + string.Join(", ", frameworks) + ")" : string.Empty;
            _ui.Progress($"[{number}/{Projects.Count}] {group.Name}{frameworkText}: {Plural(projectFindings, "finding")} in {watch.Elapsed.TotalSeconds:0.0} s");
            if (compilerErrors > 0)
            {
                _ui.Warning($"{group.Name} has {Plural(compilerErrors, "compiler error")}, so some findings may be missing. First: {firstError}");
            }
        }

        var ordered = findings.Values
            .OrderByDescending(f => f.Level)
            .ThenBy(f => f.RelativePath ?? f.FullPath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(f => f.StartLine)
            .ThenBy(f => f.StartColumn)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
        return new ScanResult(
            targetDisplay,
            SourceRoot,
            started,
            clock.Elapsed,
            rules.Rules,
            summaries,
            ordered,
            phi.Values.OrderBy(p => p.RelativePath, StringComparer.Ordinal).ThenBy(p => p.Line).ToList(),
            endpoints.Values.OrderBy(e => e.Route, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Verbs, StringComparer.Ordinal).ToList(),
            notes,
            problems.Distinct().ToList(),
            _skipped.OrderBy(p => p.MakesScanPartial ? 0 : 1).ThenBy(p => p.FullPath, StringComparer.Ordinal).ToList(),
            _warnings.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Runs every HipaaAnalyzers rule on one project with the project's own analyzer configuration.</summary>
    public static async Task<ProjectAnalysis> AnalyzeAsync(Project project, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
                          ?? throw new ProjectLoadException("No compilation for " + project.Name);
        var problems = new ConcurrentBag<string>();
        var options = new CompilationWithAnalyzersOptions(
            WithSettingsFiles(project),
            (exception, analyzer, _) => problems.Add($"{analyzer.GetType().Name} failed in {project.Name}: {exception.GetType().Name}: {exception.Message}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var analyzers = compilation.WithAnalyzers(HipaaRules.Instance.Analyzers, options);
        var all = await analyzers.GetAllDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        var ruleIds = HipaaRules.Instance.RuleIds;
        var ruleDiagnostics = all.Where(d => ruleIds.Contains(d.Id) && !d.IsSuppressed).ToImmutableArray();
        var compilerDiagnostics = all.Where(d => !ruleIds.Contains(d.Id) && d.Id.StartsWith("CS", StringComparison.Ordinal)).ToImmutableArray();
        return new ProjectAnalysis(compilation, ruleDiagnostics, compilerDiagnostics, problems.Distinct().ToList());
    }

    /// <summary>
    /// The project's analyzer options with its appsettings*.json and web*.config added as additional files, as the
    /// package's build files add them, so a project that does not reference the package yet is scanned the same way.
    /// </summary>
    public static AnalyzerOptions WithSettingsFiles(Project project)
    {
        var options = project.AnalyzerOptions;
        var directory = Path.GetDirectoryName(project.FilePath);
        if (string.IsNullOrEmpty(directory) || !Directory.Exists(directory))
        {
            return options;
        }

        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var present = options.AdditionalFiles.Select(f => Path.GetFullPath(f.Path)).ToHashSet(comparer);
        var added = Directory.EnumerateFiles(directory, "appsettings*.json")
            .Concat(Directory.EnumerateFiles(directory, "web*.config"))
            .Select(Path.GetFullPath)
            .Where(path => present.Add(path))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (AdditionalText)new SettingsFileText(path))
            .ToImmutableArray();
        return added.IsEmpty ? options : new AnalyzerOptions(options.AdditionalFiles.AddRange(added), options.AnalyzerConfigOptionsProvider);
    }

    private Finding ToFinding(Diagnostic diagnostic, ProjectGroup group)
    {
        var level = HipaaRules.ToLevel(diagnostic.Severity);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        if (diagnostic.Location.IsInSource)
        {
            var span = diagnostic.Location.GetMappedLineSpan();
            var full = span.Path;
            return new Finding(diagnostic.Id, level, message, full, Relative(full), span.StartLinePosition.Line + 1,
                span.StartLinePosition.Character + 1, span.EndLinePosition.Line + 1, span.EndLinePosition.Character + 1, group.Name);
        }

        // A finding in a configuration file (appsettings.json, web.config) is placed at its line there.
        if (diagnostic.Location.Kind == LocationKind.ExternalFile && diagnostic.Location.GetLineSpan() is { IsValid: true } external)
        {
            return new Finding(diagnostic.Id, level, message, external.Path, Relative(external.Path), external.StartLinePosition.Line + 1,
                external.StartLinePosition.Character + 1, external.EndLinePosition.Line + 1, external.EndLinePosition.Character + 1, group.Name);
        }

        // A finding about the configuration (HIPAA900) belongs to the project file.
        return new Finding(diagnostic.Id, level, message, group.Path, Relative(group.Path), 1, 1, 1, 1, group.Name);
    }

    private (string? Path, int Line) Place(Location location)
    {
        if (!location.IsInSource)
        {
            return (null, 0);
        }

        var span = location.GetMappedLineSpan();
        return (Relative(span.Path) ?? span.Path, span.StartLinePosition.Line + 1);
    }

    /// <summary>The path relative to the source root with '/' separators, or null when it lies outside it.</summary>
    public string? Relative(string? path) => PathText.Relative(SourceRoot, path);

    private string Display(string path) => Relative(path) ?? path;

    /// <summary>
    /// The workspace's diagnostics of one kind that name the project, deduplicated, as "path: message" (MSBuildWorkspace
    /// reports restore and build messages as "Msbuild failed when processing the file '…' with message: …").
    /// </summary>
    private IEnumerable<string> Messages(string projectPath, WorkspaceDiagnosticKind kind) =>
        _workspaceDiagnostics
            .Where(d => d.Kind == kind && d.Message.Contains(projectPath, StringComparison.Ordinal))
            .OrderBy(d => d.Message, StringComparer.Ordinal)
            .Select(d => MSBuildFailure.Match(d.Message) is { Success: true } m
                ? Display(m.Groups["file"].Value) + ": " + OneLine(m.Groups["message"].Value)
                : OneLine(d.Message))
            .Distinct(StringComparer.Ordinal);

    private static string OneLine(string text) =>
        string.Join(" ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private string TargetFramework(Project project, int frameworkCount)
    {
        // MSBuildWorkspace names the projects of a multi-targeted project "Name(net8.0)"; a single target framework
        // is only known from the load progress.
        var name = project.Name;
        var open = name.LastIndexOf('(');
        if (open > 0 && name.EndsWith(")", StringComparison.Ordinal))
        {
            return name.Substring(open + 1, name.Length - open - 2);
        }

        return frameworkCount == 1 && project.FilePath is not null && _frameworks.TryGetValue(Path.GetFullPath(project.FilePath), out var framework)
            ? framework
            : string.Empty;
    }

    private static string EvidenceText(PhiEvidence evidence) => evidence switch
    {
        PhiEvidence.Attribute => "attribute",
        PhiEvidence.TypeAttribute => "type attribute",
        PhiEvidence.Name => "name heuristic",
        PhiEvidence.FhirResource => "FHIR resource",
        _ => "carries PHI",
    };

    private static bool SamePath(string? a, string b) =>
        a is not null && string.Equals(Path.GetFullPath(a), b, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    internal static string Plural(int count, string noun) => count + " " + noun + (count == 1 ? string.Empty : "s");

    private sealed class LoadProgress : IProgress<ProjectLoadProgress>
    {
        private readonly Ui _ui;
        private readonly string _root;
        private readonly ConcurrentDictionary<string, string> _frameworks;

        public LoadProgress(Ui ui, string root, ConcurrentDictionary<string, string> frameworks)
        {
            _ui = ui;
            _root = root;
            _frameworks = frameworks;
        }

        public void Report(ProjectLoadProgress value)
        {
            if (value.Operation == ProjectLoadOperation.Resolve)
            {
                var framework = string.IsNullOrEmpty(value.TargetFramework) ? string.Empty : " (" + value.TargetFramework + ")";
                if (!string.IsNullOrEmpty(value.TargetFramework))
                {
                    _frameworks[Path.GetFullPath(value.FilePath)] = value.TargetFramework!;
                }

                _ui.Progress($"  loaded {PathText.Relative(_root, value.FilePath) ?? value.FilePath}{framework}");
            }
        }
    }
}

/// <summary>One project file and the workspace projects built from it (one per target framework).</summary>
public sealed record ProjectGroup(string Path, string Name, IReadOnlyList<ProjectId> ProjectIds);

/// <summary>What the rules reported on one project, and the compiler's own diagnostics.</summary>
public sealed record ProjectAnalysis(
    Compilation Compilation,
    ImmutableArray<Diagnostic> RuleDiagnostics,
    ImmutableArray<Diagnostic> CompilerDiagnostics,
    IReadOnlyList<string> Problems);

/// <summary>A configuration file read from disk for the analyzers, as the compiler reads an AdditionalFiles item.</summary>
internal sealed class SettingsFileText : AdditionalText
{
    public SettingsFileText(string path) => Path = path;

    public override string Path { get; }

    public override Microsoft.CodeAnalysis.Text.SourceText? GetText(CancellationToken cancellationToken = default)
    {
        try
        {
            using var stream = File.OpenRead(Path);
            return Microsoft.CodeAnalysis.Text.SourceText.From(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
