using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using HipaaAnalyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA900: a hipaa_analyzers.* option cannot be used (a bad regular expression, an unknown value). Reported once
/// per key and value in a compilation, so a bad .globalconfig does not flood every file. Project-wide options
/// (<c>secrets_in_test_projects</c>) are read from the global options, and reported when set in an .editorconfig section.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA900InvalidOptionAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InvalidOption);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var phi = PhiCompilationContext.For(start.Compilation);
            var globalOptions = start.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
            var secretsErrors = SecretsOptions.Read(globalOptions).Errors;
            var reported = new ConcurrentDictionary<string, bool>(System.StringComparer.Ordinal);
            start.RegisterSyntaxTreeAction(tree =>
            {
                var options = phi.GetOptions(tree.Options, tree.Tree);
                var fileOptions = tree.Options.AnalyzerConfigOptionsProvider.GetOptions(tree.Tree);
                var cryptoOptions = CryptoOptions.Read(fileOptions);
                var errors = options.Errors.Concat(cryptoOptions.Errors)
                    .Concat(secretsErrors)
                    .Concat(SecretsOptions.PerFileErrors(fileOptions, globalOptions));
                foreach (var error in errors)
                {
                    if (reported.TryAdd(error.Key + "\u0001" + error.Problem, true))
                    {
                        var file = string.IsNullOrEmpty(tree.Tree.FilePath) ? "(unnamed file)" : tree.Tree.FilePath;
                        tree.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidOption, Location.None, error.Key, file, error.Problem));
                    }
                }
            });
        });
    }
}
