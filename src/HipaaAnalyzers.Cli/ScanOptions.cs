namespace HipaaAnalyzers.Cli;

/// <summary>The command line, parsed.</summary>
public sealed record ScanOptions(
    string Path,
    string? SarifPath,
    string? HtmlPath,
    FindingLevel? FailOn,
    bool Fix,
    bool DryRun,
    bool NoRestore,
    int Top,
    string? SourceRoot,
    bool RequireComplete = false);
