using System;
using System.Collections.Generic;
using System.Linq;
using HipaaAnalyzers.CodeFixes.Infrastructure;

namespace HipaaAnalyzers.Cli;

/// <summary>SARIF levels, lowest first, so a level can be compared with the --fail-on threshold.</summary>
public enum FindingLevel
{
    None = 0,
    Note = 1,
    Warning = 2,
    Error = 3,
}

/// <summary>A HipaaAnalyzers rule as the reports describe it.</summary>
public sealed record RuleInfo(
    string Id,
    string Title,
    string Description,
    string Category,
    FindingLevel DefaultLevel,
    string HelpUri,
    CodeFixAvailability CodeFix)
{
    /// <summary>A fix is offered, for every finding or (<see cref="CodeFixAvailability.Partly"/>) for some shapes of them.</summary>
    public bool HasCodeFix => CodeFix != CodeFixAvailability.No;
}

/// <summary>One diagnostic, with its path relative to the source root (forward slashes) when it has one.</summary>
public sealed record Finding(
    string RuleId,
    FindingLevel Level,
    string Message,
    string? FullPath,
    string? RelativePath,
    int StartLine,
    int StartColumn,
    int EndLine,
    int EndColumn,
    string Project)
{
    /// <summary>"samples/ClinicApi/Program.cs:12", or the project when the finding has no place in a file.</summary>
    public string Where => RelativePath is null ? Project : RelativePath + ":" + StartLine;
}

/// <summary>A member the PHI model treats as PHI.</summary>
public sealed record PhiItem(
    string Member,
    string Kind,
    string ValueType,
    string Reason,
    string Evidence,
    string? RelativePath,
    int Line,
    string Project);

/// <summary>An endpoint with its authorization and audit, as found in the code.</summary>
public sealed record EndpointItem(
    string Verbs,
    string Route,
    bool RouteIsComplete,
    string Handler,
    string Kind,
    string Authorization,
    bool IsProtected,
    bool AllowsAnonymous,
    IReadOnlyList<string> AuthorizationSources,
    string Audit,
    bool IsAudited,
    IReadOnlyList<string> AuditSources,
    IReadOnlyList<string> Phi,
    string? RelativePath,
    int Line,
    string Project)
{
    public bool HandlesPhi => Phi.Count > 0;
}

/// <summary>One scanned project (all its target frameworks).</summary>
public sealed record ProjectSummary(
    string Name,
    string RelativePath,
    IReadOnlyList<string> TargetFrameworks,
    int Findings,
    int CompilerErrors,
    string? FirstCompilerError,
    TimeSpan Elapsed);

/// <summary>Everything one scan found; the console, SARIF and HTML reports render it.</summary>
public sealed record ScanResult(
    string Target,
    string SourceRoot,
    DateTimeOffset Started,
    TimeSpan Elapsed,
    IReadOnlyList<RuleInfo> Rules,
    IReadOnlyList<ProjectSummary> Projects,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<PhiItem> Phi,
    IReadOnlyList<EndpointItem> Endpoints,
    IReadOnlyList<string> AppNotes,
    IReadOnlyList<string> Problems,
    IReadOnlyList<SkippedProject> Skipped,
    IReadOnlyList<string> Warnings)
{
    /// <summary>A C# project of the target was not scanned: the findings cover only the rest.</summary>
    public bool IsPartial => Skipped.Any(s => s.MakesScanPartial);
}

/// <summary>Why a project of the target was not scanned.</summary>
public enum SkipKind
{
    /// <summary>Not a C# project (.vbproj, .fsproj, .esproj, .sqlproj ...): nothing for the rules to analyze.</summary>
    NotCSharp,

    /// <summary>The solution names a C# project file that does not exist.</summary>
    Missing,

    /// <summary>'dotnet restore' failed for the project.</summary>
    RestoreFailed,

    /// <summary>The project's MSBuild SDK cannot be resolved.</summary>
    SdkNotResolved,

    /// <summary>The project did not load: no compilation, or no documents because its design-time build failed.</summary>
    LoadFailed,
}

/// <summary>A project of the target that was not scanned, and why.</summary>
public sealed record SkippedProject(string Name, string FullPath, SkipKind Kind, string Reason)
{
    /// <summary>Every skipped project but one that is not C# leaves C# code unscanned.</summary>
    public bool MakesScanPartial => Kind != SkipKind.NotCSharp;

    public string KindText => Kind switch
    {
        SkipKind.NotCSharp => "not C#",
        SkipKind.Missing => "missing",
        SkipKind.RestoreFailed => "restore failed",
        SkipKind.SdkNotResolved => "SDK not resolved",
        _ => "load failed",
    };
}
