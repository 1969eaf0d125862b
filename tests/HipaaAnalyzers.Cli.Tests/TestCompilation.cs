using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>Compiles C# snippets against .NET and ASP.NET Core (the shared frameworks this test host runs on).</summary>
public static class TestCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => p.Contains("Microsoft.NETCore.App", StringComparison.Ordinal) || p.Contains("Microsoft.AspNetCore.App", StringComparison.Ordinal))
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    /// <summary>A compilation of the sources that must have no errors; the first source may use top-level statements.</summary>
    public static CSharpCompilation Create(params string[] sources)
    {
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/src/File{i}.cs"));
        var compilation = CSharpCompilation.Create(
            "Snippets",
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The snippet does not compile:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        return compilation;
    }
}
