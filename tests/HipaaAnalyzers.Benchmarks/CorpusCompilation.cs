using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using HipaaAnalyzers.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Benchmarks;

/// <summary>
/// Turns a generated corpus into syntax trees and compilations: .NET 10 and ASP.NET Core reference assemblies (the
/// versions the analyzer tests use), Serilog and HipaaAnalyzers.Runtime. Compilations are single-threaded, so times
/// are the work done rather than how much of the two shared cores happened to be free.
/// </summary>
internal static class CorpusCompilation
{
    public const string FrameworkVersion = "10.0.10";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp13);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    public static string NuGetPackageRoot { get; } = FindPackageRoot();

    public static ImmutableArray<SyntaxTree> Parse(IEnumerable<CorpusFile> files) =>
        files.Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, Encoding.UTF8), ParseOptions, "/corpus/" + f.Path)).ToImmutableArray();

    public static CSharpCompilation Create(IEnumerable<SyntaxTree> trees, IReadOnlyDictionary<string, ReportDiagnostic>? ruleSeverities = null)
    {
        var options = new CSharpCompilationOptions(
            OutputKind.ConsoleApplication,
            nullableContextOptions: NullableContextOptions.Enable,
            optimizationLevel: OptimizationLevel.Release,
            concurrentBuild: false,
            deterministic: true);
        if (ruleSeverities is not null)
        {
            options = options.WithSpecificDiagnosticOptions(ruleSeverities);
        }

        return CSharpCompilation.Create("Contoso.Health", trees, References, options);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var folders = new[]
        {
            Path.Combine(NuGetPackageRoot, "microsoft.netcore.app.ref", FrameworkVersion, "ref", "net10.0"),
            Path.Combine(NuGetPackageRoot, "microsoft.aspnetcore.app.ref", FrameworkVersion, "ref", "net10.0"),
        };
        var paths = new List<string>();
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                throw new InvalidOperationException($"Reference assemblies not found in {folder}; restore the benchmark project first.");
            }

            paths.AddRange(Directory.EnumerateFiles(folder, "*.dll"));
        }

        paths.Add(typeof(Serilog.Log).Assembly.Location);
        paths.Add(typeof(HipaaAnalyzers.Runtime.Phi).Assembly.Location);
        return paths.OrderBy(p => p, StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }

    private static string FindPackageRoot()
    {
        var fromBuild = typeof(CorpusCompilation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "NuGetPackageRoot")?.Value;
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("NUGET_PACKAGES"),
            fromBuild,
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && Directory.Exists(c))
               ?? throw new InvalidOperationException("The NuGet package folder was not found; set NUGET_PACKAGES.");
    }
}
