using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Rules;
using HipaaAnalyzers.Tests.Samples;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Tests.Robustness;

/// <summary>
/// Runs every analyzer and every code fix of HipaaAnalyzers the way an IDE does: projects in a workspace, analyzer
/// exceptions caught and reported, code actions applied through their operations (which run the simplifier and
/// formatter), Fix All through the fixer's own provider.
/// </summary>
internal static class AnalyzerHost
{
    private static readonly Lazy<Task<ImmutableArray<MetadataReference>>> LazyReferences = new(async () =>
        (await TestReferences.Net10WithLoggers.ResolveAsync(LanguageNames.CSharp, CancellationToken.None)).Add(TestReferences.Runtime));

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = SampleApp.AllAnalyzers();

    /// <summary>Every code fix the HipaaAnalyzers.CodeFixes assembly exports, found by reflection so new ones are included.</summary>
    public static ImmutableArray<CodeFixProvider> Fixers { get; } =
        typeof(HIPAA001PhiInLogFixer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttributes<ExportCodeFixProviderAttribute>().Any())
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    public static Task<ImmutableArray<MetadataReference>> ReferencesAsync() => LazyReferences.Value;

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    /// <summary>A project of the given files, compiled against .NET 10, ASP.NET Core, the loggers and the runtime.</summary>
    public static async Task<Project> CreateProjectAsync(
        AdhocWorkspace workspace, string name, IEnumerable<(string Path, string Text)> files, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var projectId = ProjectId.CreateNewId(name);
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Default, name, name, LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true),
            parseOptions: ParseOptions,
            metadataReferences: await ReferencesAsync()));
        foreach (var (path, text) in files)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, path), path, SourceText.From(text), filePath: path);
        }

        if (!workspace.TryApplyChanges(solution))
        {
            throw new InvalidOperationException("The workspace did not take the project " + name);
        }

        return workspace.CurrentSolution.GetProject(projectId)!;
    }

    /// <summary>
    /// Every analyzer over the whole compilation, or (with <paramref name="document"/>) over that document only, as the
    /// IDE analyzes an open file. Exceptions are returned, never thrown.
    /// </summary>
    public static async Task<AnalysisRun> AnalyzeAsync(
        Compilation compilation, SyntaxTree? document, AnalyzerConfigOptionsProvider? options, CancellationToken cancellationToken)
    {
        var exceptions = new ConcurrentQueue<AnalyzerCrash>();
        var analyzerOptions = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, options ?? EmptyOptions.Instance);
        var withAnalyzers = compilation.WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(
            analyzerOptions,
            onAnalyzerException: (exception, analyzer, _) =>
                exceptions.Enqueue(new AnalyzerCrash(analyzer.GetType().Name, exception.GetType().Name, exception.ToString())),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false));

        ImmutableArray<Diagnostic> diagnostics;
        if (document is null)
        {
            diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);
        }
        else
        {
            var syntax = await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(document, cancellationToken);
            var semantic = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(document), null, cancellationToken);
            diagnostics = syntax.AddRange(semantic);
        }

        foreach (var crash in diagnostics.Where(d => d.Id == "AD0001"))
        {
            // "Analyzer 'X' threw an exception of type 'Y' with message 'Z'": the callback above has normally seen it already.
            var message = crash.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            exceptions.Enqueue(new AnalyzerCrash(Quoted(message, 0) ?? "AD0001", Quoted(message, 1) ?? "AD0001", message));
        }

        return new AnalysisRun(diagnostics.Where(d => d.Id != "AD0001").ToImmutableArray(), exceptions.ToList());
    }

    /// <summary>The code actions <paramref name="fixer"/> registers for one diagnostic.</summary>
    public static async Task<IReadOnlyList<CodeAction>> GetCodeActionsAsync(
        CodeFixProvider fixer, Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
        await fixer.RegisterCodeFixesAsync(context);
        return actions;
    }

    /// <summary>The solution a code action produces, with the cleanup (simplifier, formatter, imports) the IDE runs.</summary>
    public static async Task<Solution?> ApplyAsync(CodeAction action, CancellationToken cancellationToken)
    {
        Solution? changed = null;
        foreach (var operation in await action.GetOperationsAsync(cancellationToken))
        {
            if (operation is ApplyChangesOperation apply)
            {
                changed = apply.ChangedSolution;
            }
        }

        return changed;
    }

    /// <summary>Fix All of one equivalence key, over the given scope, with the given diagnostics.</summary>
    public static async Task<Solution?> FixAllAsync(
        CodeFixProvider fixer, Document document, FixAllScope scope, string equivalenceKey, IReadOnlyList<Diagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        var provider = fixer.GetFixAllProvider() ?? throw new InvalidOperationException(fixer.GetType().Name + " has no Fix All provider.");
        var context = new FixAllContext(
            document, fixer, scope, equivalenceKey, fixer.FixableDiagnosticIds, new KnownDiagnostics(diagnostics), cancellationToken);
        var action = await provider.GetFixAsync(context);
        return action is null ? null : await ApplyAsync(action, cancellationToken);
    }

    /// <summary>The documents whose text differs between two versions of a solution.</summary>
    public static IReadOnlyList<DocumentId> ChangedDocuments(Solution before, Solution after)
    {
        var changed = new List<DocumentId>();
        foreach (var projectChanges in after.GetChanges(before).GetProjectChanges())
        {
            changed.AddRange(projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true));
        }

        return changed;
    }

    private static string? Quoted(string message, int index)
    {
        var start = -1;
        for (var i = 0; i <= index; i++)
        {
            start = message.IndexOf('\'', start + 1);
            if (start < 0)
            {
                return null;
            }

            var end = message.IndexOf('\'', start + 1);
            if (end < 0)
            {
                return null;
            }

            if (i == index)
            {
                var name = message.Substring(start + 1, end - start - 1);
                return name.Substring(name.LastIndexOf('.') + 1);
            }

            start = end;
        }

        return null;
    }

    /// <summary>Analysis results: the diagnostics (AD0001 excluded) and every analyzer exception.</summary>
    public sealed record AnalysisRun(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<AnalyzerCrash> Exceptions);

    /// <summary>An exception an analyzer threw: its type name, the exception's type name, and the exception as text.</summary>
    public sealed record AnalyzerCrash(string Analyzer, string ExceptionType, string Text);

    /// <summary>Hands Fix All the diagnostics already computed, matched to documents by file path.</summary>
    private sealed class KnownDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly IReadOnlyList<Diagnostic> _diagnostics;

        public KnownDiagnostics(IReadOnlyList<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult(_diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(_diagnostics.Where(d => project.Documents.Any(doc => doc.FilePath == d.Location.SourceTree?.FilePath)));
    }

    /// <summary>No .editorconfig.</summary>
    private sealed class EmptyOptions : AnalyzerConfigOptionsProvider
    {
        public static readonly EmptyOptions Instance = new();

        public override AnalyzerConfigOptions GlobalOptions => ConfigOptions.Empty;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => ConfigOptions.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => ConfigOptions.Empty;
    }
}

/// <summary>The same hipaa_analyzers.* settings for every file, as a .globalconfig would give them.</summary>
internal sealed class ConfigOptions : AnalyzerConfigOptions
{
    public static readonly ConfigOptions Empty = new(ImmutableDictionary<string, string>.Empty);

    private readonly ImmutableDictionary<string, string> _values;

    public ConfigOptions(ImmutableDictionary<string, string> values) => _values = values;

    public IReadOnlyDictionary<string, string> Values => _values;

    public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
        _values.TryGetValue(key, out value);

    public AnalyzerConfigOptionsProvider AsProvider() => new Provider(this);

    private sealed class Provider : AnalyzerConfigOptionsProvider
    {
        private readonly ConfigOptions _options;

        public Provider(ConfigOptions options) => _options = options;

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;
    }
}
