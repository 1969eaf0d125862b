using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace HipaaAnalyzers.Tests.Samples;

/// <summary>
/// One sample app under samples/, compiled in process and analyzed by every analyzer of the HipaaAnalyzers assembly.
/// Its marker comments say what must be reported where: a trailing "// HIPAA001" (or "// HIPAA001, HIPAA004") on a
/// line that must get those rules, a trailing "// compliant" on a line that must get none.
/// </summary>
internal sealed class SampleApp
{
    private static readonly Regex RuleMarker = new(@"^//\s*(?<ids>HIPAA\d{3}(?:\s*,\s*HIPAA\d{3})*)\b", RegexOptions.CultureInvariant);
    private static readonly Regex CompliantMarker = new(@"^//\s*compliant\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>A marker trailing a line of a configuration file (JSON takes // comments): "// HIPAA202" or "// compliant".</summary>
    private static readonly Regex SettingsMarker = new(@"//\s*(?:(?<ids>HIPAA\d{3}(?:\s*,\s*HIPAA\d{3})*)|(?<compliant>compliant))\b[^""]*$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private SampleApp(
        string name,
        Compilation compilation,
        ImmutableArray<Diagnostic> analyzerDiagnostics,
        IReadOnlyList<string> analyzerExceptions,
        IReadOnlyList<Marker> markers,
        ImmutableArray<AdditionalText> settingsFiles)
    {
        Name = name;
        SettingsFiles = settingsFiles;
        Compilation = compilation;
        AnalyzerDiagnostics = analyzerDiagnostics;
        AnalyzerExceptions = analyzerExceptions;
        Markers = markers;
    }

    public string Name { get; }

    public Compilation Compilation { get; }

    /// <summary>Everything the analyzers reported, AD0001 included.</summary>
    public ImmutableArray<Diagnostic> AnalyzerDiagnostics { get; }

    /// <summary>Exceptions thrown by analyzers, as text.</summary>
    public IReadOnlyList<string> AnalyzerExceptions { get; }

    public IReadOnlyList<Marker> Markers { get; }

    /// <summary>The app's appsettings*.json and web*.config, handed to the analyzers as additional files as the package does.</summary>
    public ImmutableArray<AdditionalText> SettingsFiles { get; }

    public IEnumerable<Diagnostic> CompilerErrors =>
        Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<Diagnostic> RuleDiagnostics =>
        AnalyzerDiagnostics.Where(d => d.Id.StartsWith("HIPAA", StringComparison.Ordinal));

    /// <summary>The repository root: the nearest folder above the test binaries that holds HipaaAnalyzers.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static async Task<SampleApp> LoadAsync(string name)
    {
        var folder = Path.Combine(RepositoryRoot, "samples", name);
        Assert.True(Directory.Exists(folder), $"Sample folder not found: {folder}");

        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = SourceFiles(folder)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parseOptions, path))
            .ToImmutableArray();
        Assert.NotEmpty(trees);

        var references = await TestReferences.Net10WithLoggers.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var compilation = CSharpCompilation.Create(
            name,
            trees,
            references.Add(TestReferences.Runtime).Add(TestReferences.RuntimeAspNetCore).Add(TestReferences.RuntimeEntityFrameworkCore),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

        var settingsFiles = Directory.EnumerateFiles(folder, "appsettings*.json")
            .Concat(Directory.EnumerateFiles(folder, "web*.config"))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (AdditionalText)new FileText(path, Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(path))))
            .ToImmutableArray();
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(settingsFiles),
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue(analyzer.GetType().Name + ": " + exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation
            .WithAnalyzers(AllAnalyzers(), options)
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        var markers = FindMarkers(trees, folder).Concat(FindSettingsMarkers(settingsFiles)).ToList();
        return new SampleApp(name, compilation, diagnostics, exceptions.ToArray(), markers, settingsFiles);
    }

    /// <summary>Every analyzer the HipaaAnalyzers assembly ships, found by reflection so new rules are included.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers() =>
        typeof(RuleIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) &&
                        t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any())
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>"Patients/PatientService.cs:42" for a diagnostic, relative to the sample folder.</summary>
    public string Where(Location location)
    {
        var span = location.GetLineSpan();
        return RelativePath(span.Path) + ":" + (span.StartLinePosition.Line + 1);
    }

    public string RelativePath(string path) =>
        Path.GetRelativePath(Path.Combine(RepositoryRoot, "samples", Name), path).Replace('\\', '/');

    /// <summary>The text of a line of a sample file, trimmed, for messages.</summary>
    public string LineText(string path, int line) =>
        (Compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == path)?.GetText() ??
         SettingsFiles.First(f => f.Path == path).GetText()!).Lines[line].ToString().Trim();

    private static IEnumerable<Marker> FindSettingsMarkers(ImmutableArray<AdditionalText> files)
    {
        foreach (var file in files)
        {
            var text = file.GetText()!;
            foreach (var line in text.Lines)
            {
                var code = line.ToString().Trim();
                if (SettingsMarker.Match(code) is { Success: true } match)
                {
                    var ids = match.Groups["ids"].Success
                        ? match.Groups["ids"].Value.Split(',').Select(id => id.Trim()).ToImmutableHashSet()
                        : ImmutableHashSet<string>.Empty;
                    yield return new Marker(file.Path, line.LineNumber, ids, code);
                }
            }
        }
    }

    /// <summary>A configuration file as an additional file.</summary>
    private sealed class FileText : AdditionalText
    {
        private readonly Microsoft.CodeAnalysis.Text.SourceText _text;

        public FileText(string path, Microsoft.CodeAnalysis.Text.SourceText text)
        {
            Path = path;
            _text = text;
        }

        public override string Path { get; }

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private static IEnumerable<string> SourceFiles(string folder)
    {
        var excluded = new[] { "bin", "obj" };
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(folder, path)
                .Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
                .Any(part => excluded.Contains(part, StringComparer.OrdinalIgnoreCase)))
            .OrderBy(path => path, StringComparer.Ordinal);
    }

    private static IReadOnlyList<Marker> FindMarkers(ImmutableArray<SyntaxTree> trees, string folder)
    {
        var markers = new List<Marker>();
        foreach (var tree in trees)
        {
            var text = tree.GetText();
            foreach (var trivia in tree.GetRoot().DescendantTrivia())
            {
                // Only a comment that trails code on its line is a marker.
                if (!trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || !trivia.Token.TrailingTrivia.Contains(trivia))
                {
                    continue;
                }

                var comment = trivia.ToString();
                var line = trivia.GetLocation().GetLineSpan().StartLinePosition.Line;
                var code = text.Lines[line].ToString().Trim();
                if (RuleMarker.Match(comment) is { Success: true } match)
                {
                    var ids = match.Groups["ids"].Value.Split(',').Select(id => id.Trim()).ToImmutableHashSet();
                    markers.Add(new Marker(tree.FilePath, line, ids, code));
                }
                else if (CompliantMarker.IsMatch(comment))
                {
                    markers.Add(new Marker(tree.FilePath, line, ImmutableHashSet<string>.Empty, code));
                }
            }
        }

        return markers;
    }

    /// <summary>
    /// Looks above the test binaries first; binaries built with --artifacts-path live outside the repository, so then
    /// above this source file and above the working directory.
    /// </summary>
    private static string FindRepositoryRoot([CallerFilePath] string thisFile = "")
    {
        var starts = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(thisFile), Environment.CurrentDirectory };
        foreach (var start in starts)
        {
            for (var directory = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HipaaAnalyzers.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("HipaaAnalyzers.sln not found above " + string.Join(" or ", starts));
    }

    /// <summary>A marked line: the rules it must get, or none for "// compliant".</summary>
    public sealed record Marker(string Path, int Line, ImmutableHashSet<string> ExpectedRules, string Code)
    {
        public bool IsCompliant => ExpectedRules.IsEmpty;
    }
}
