using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace HipaaAnalyzers.Tests.Verifiers;

/// <summary>
/// The ASP.NET Core part of the runtime library that the endpoint rules' fixes call, declared with its real names:
/// <c>[AuditPhiAccess(AuditAction.Viewed)]</c>, <c>.AuditPhiAccess(...)</c> and <c>AddHipaaAudit(o =&gt; o.AuditAllEndpoints = true)</c>.
/// <c>AuditAction</c> is the runtime's own.
/// </summary>
internal static class AspNetCoreRuntime
{
    public const string Path = "/Runtime/HipaaAnalyzers.Runtime.AspNetCore.cs";

    public const string Source = @"
using System;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HipaaAnalyzers.Runtime.AspNetCore
{
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
    public sealed class AuditPhiAccessAttribute : Attribute, Microsoft.AspNetCore.Mvc.Filters.IFilterMetadata
    {
        public AuditPhiAccessAttribute() { }
        public AuditPhiAccessAttribute(AuditAction action) => Action = action;
        public AuditAction Action { get; }
    }

    public static class AuditPhiAccessEndpointConventionBuilderExtensions
    {
        public static TBuilder AuditPhiAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder => builder;
        public static TBuilder AuditPhiAccess<TBuilder>(this TBuilder builder, AuditAction action) where TBuilder : IEndpointConventionBuilder => builder;
    }

    public sealed class HipaaAuditOptions
    {
        public bool AuditAllEndpoints { get; set; }
    }

    public static class HipaaAuditServiceCollectionExtensions
    {
        public static IServiceCollection AddHipaaAudit(this IServiceCollection services, Action<HipaaAuditOptions>? configure = null) => services;
    }
}
";
}

/// <summary>Runs one endpoint rule over test files (markup as in <see cref="AnalyzerVerifier{TAnalyzer}"/>) with the ASP.NET Core runtime declared.</summary>
public static class EndpointVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyFilesAsync(new[] { ("/0/Test0.cs", source) }, expected);

    /// <summary>Several files, each with its path (a page model under /Pages/ gets its page path from it).</summary>
    public static Task VerifyFilesAsync((string Path, string Source)[] files, params DiagnosticResult[] expected) =>
        VerifyWithOptionsAsync(files, editorConfig: null, expected);

    /// <summary>Several files with <c>hipaa_analyzers.*</c> options for every C# file (lines of an .editorconfig [*.cs] section).</summary>
    public static async Task VerifyWithOptionsAsync((string Path, string Source)[] files, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.Net10WithLoggers,
        };
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig));
        }

        foreach (var file in files)
        {
            test.TestState.Sources.Add(file);
        }

        test.TestState.Sources.Add((AspNetCoreRuntime.Path, AspNetCoreRuntime.Source));
        test.TestState.AdditionalReferences.Add(TestReferences.Runtime);
        test.TestState.OutputKind = OutputKindOf(files);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary>An application when a file has top-level statements (a Program.cs), a library otherwise.</summary>
    private static Microsoft.CodeAnalysis.OutputKind OutputKindOf((string Path, string Source)[] files)
    {
        foreach (var file in files)
        {
            var code = System.Text.RegularExpressions.Regex.Replace(file.Source, @"\{\|[^:|]*:|\|\}|\[\||\|\]", string.Empty);
            var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(code).GetRoot();
            if (System.Linq.Enumerable.Any(root.ChildNodes(), n => n is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax))
            {
                return Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
            }
        }

        return Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary;
    }

    /// <summary>Checks a fix one diagnostic at a time and with Fix All; the fixed code must compile.</summary>
    public static Task VerifyFixAsync<TFixer>(string source, string fixedSource, string? equivalenceKey = null)
        where TFixer : CodeFixProvider, new() =>
        VerifyFixAsync<TFixer>(new[] { ("/0/Test0.cs", source) }, new[] { ("/0/Test0.cs", fixedSource) }, equivalenceKey);

    public static Task VerifyFixAsync<TFixer>((string Path, string Source)[] files, (string Path, string Source)[] fixedFiles, string? equivalenceKey = null)
        where TFixer : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TFixer, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.Net10WithLoggers,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        foreach (var file in files)
        {
            test.TestState.Sources.Add(file);
        }

        foreach (var file in fixedFiles)
        {
            test.FixedState.Sources.Add(file);
        }

        test.TestState.Sources.Add((AspNetCoreRuntime.Path, AspNetCoreRuntime.Source));
        test.FixedState.Sources.Add((AspNetCoreRuntime.Path, AspNetCoreRuntime.Source));
        test.TestState.AdditionalReferences.Add(TestReferences.Runtime);
        test.FixedState.AdditionalReferences.Add(TestReferences.Runtime);
        test.TestState.OutputKind = OutputKindOf(files);
        test.FixedState.OutputKind = OutputKindOf(files);
        return test.RunAsync(CancellationToken.None);
    }
}
