using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HipaaAnalyzers.Tests.Verifiers;

/// <summary>Checks that a fix turns the marked code into the fixed code, one at a time and with Fix All, and that it compiles.</summary>
public static class CodeFixVerifier<TAnalyzer, TFixer>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFixer : CodeFixProvider, new()
{
    public static Task VerifyFixAsync(string source, string fixedSource, string? equivalenceKey = null, int? iterations = null)
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

        test.TestState.AdditionalReferences.Add(TestReferences.Runtime);
        test.FixedState.AdditionalReferences.Add(TestReferences.Runtime);
        return test.RunAsync(CancellationToken.None);
    }
}
