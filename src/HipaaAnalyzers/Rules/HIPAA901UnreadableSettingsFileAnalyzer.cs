using System.Collections.Immutable;
using HipaaAnalyzers.Configuration;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA901: a configuration file the rules read (<c>appsettings*.json</c>, <c>web*.config</c>, added as additional files)
/// is not valid JSON or XML. Reported once per file, where reading stopped, so the team knows the file's settings are not
/// checked (and that the application would not start with it). The rules that read configuration skip such a file.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA901UnreadableSettingsFileAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.UnreadableSettingsFile);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start => start.RegisterAdditionalFileAction(file =>
        {
            if (SettingsFile.For(file.AdditionalFile, file.CancellationToken) is { Error: { } error } settings)
            {
                file.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.UnreadableSettingsFile,
                    settings.ErrorLocation,
                    settings.Path,
                    settings.Kind == SettingsFileKind.Json ? "JSON" : "XML",
                    error));
            }
        }));
    }
}
