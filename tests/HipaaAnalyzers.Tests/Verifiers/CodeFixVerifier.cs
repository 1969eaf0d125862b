using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HipaaAnalyzers.Tests.Verifiers;

/// <summary>Checks that a fix turns the marked code into the fixed code, one at a time and with Fix All, and that it compiles.</summary>
public static class CodeFixVerifier<TAnalyzer, TFixer>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFixer : CodeFixProvider, new()
{
    public static Task VerifyFixAsync(string source, string fixedSource, string? equivalenceKey = null, int? iterations = null, bool referenceRuntime = true)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFixer, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = TestReferences.Net10WithLoggers,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        if (iterations is { } n)
        {
            test.NumberOfIncrementalIterations = n;
            test.NumberOfFixAllIterations = 1;
        }

        if (referenceRuntime)
        {
            test.TestState.AdditionalReferences.Add(TestReferences.Runtime);
            test.FixedState.AdditionalReferences.Add(TestReferences.Runtime);
        }

        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// Checks that the marked diagnostics are reported and that no fix is offered for them, for example because the
    /// code does not reference the runtime library the fixes call (<paramref name="referenceRuntime"/> false).
    /// </summary>
    public static Task VerifyNoFixAsync(string source, bool referenceRuntime = true)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFixer, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = source,
            ReferenceAssemblies = TestReferences.Net10WithLoggers,
        };
        if (referenceRuntime)
        {
            test.TestState.AdditionalReferences.Add(TestReferences.Runtime);
            test.FixedState.AdditionalReferences.Add(TestReferences.Runtime);
        }

        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// The title and equivalence key of every fix offered for the diagnostics of <paramref name="source"/> (plain code,
    /// no markup), in source order: what users see in the light bulb menu.
    /// </summary>
    public static async Task<IReadOnlyList<(string Title, string? EquivalenceKey)>> GetOfferedFixesAsync(string source)
    {
        var references = await TestReferences.Net10WithLoggers.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        using var workspace = new AdhocWorkspace();
        var document = workspace.CurrentSolution
            .AddProject("Test", "Test", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .AddMetadataReferences(references)
            .AddMetadataReference(TestReferences.Runtime)
            .AddDocument("Test.cs", source);
        var compilation = await document.Project.GetCompilationAsync(CancellationToken.None);
        var diagnostics = await compilation!
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new TAnalyzer()))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        var fixer = new TFixer();
        var offered = new List<(string, string?)>();
        foreach (var diagnostic in diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => offered.Add((action.Title, action.EquivalenceKey)), CancellationToken.None);
            await fixer.RegisterCodeFixesAsync(context);
        }

        return offered;
    }
}
