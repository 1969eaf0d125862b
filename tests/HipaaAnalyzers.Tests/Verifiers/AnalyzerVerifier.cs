using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HipaaAnalyzers.Tests.Verifiers;

/// <summary>Runs one analyzer over test code written with markup: {|HIPAA001:p.Ssn|} marks where a diagnostic must be.</summary>
public static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string id) => new(id, Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(source, editorConfig: null, expected);

    public static async Task VerifyAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = Create(source);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// Runs with a project-wide <c>.globalconfig</c> (options and build properties such as
    /// <c>build_property.IsTestProject</c>; none when null) and extra references.
    /// </summary>
    public static async Task VerifyInProjectAsync(string source, string? globalConfig, IEnumerable<MetadataReference> references, params DiagnosticResult[] expected)
    {
        var test = Create(source);
        test.TestState.AdditionalReferences.AddRange(references);
        if (globalConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + globalConfig + "\n"));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// The test <see cref="VerifyAsync(string, string?, DiagnosticResult[])"/> runs, for tests that add their own
    /// configuration files (a <c>.globalconfig</c>) or references before calling <c>RunAsync</c>.
    /// </summary>
    public static CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> Create(string source)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = TestReferences.Net10WithLoggers,
        };
        test.TestState.AdditionalReferences.Add(TestReferences.Runtime);
        return test;
    }
}

/// <summary>Helpers for test code written with diagnostic markup.</summary>
public static class Markup
{
    /// <summary>The source without its diagnostic markup (<c>{|HIPAA202:x|}</c> becomes <c>x</c>), for the same code where nothing is reported.</summary>
    public static string Unmarked(string source) => Regex.Replace(source, @"\{\|HIPAA\d+:(.*?)\|\}", "$1", RegexOptions.Singleline);
}
