using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Cli;

/// <summary>A file the fixes changed: its text before and after.</summary>
public sealed record FixedFile(string FullPath, string? RelativePath, SourceText Before, SourceText After);

/// <summary>What --fix did.</summary>
public sealed record FixOutcome(Solution Solution, IReadOnlyList<FixedFile> Files, IReadOnlyDictionary<string, int> FixAllsByRule, IReadOnlyList<string> Problems);

/// <summary>
/// Applies every available code fix with the fixers' own Fix All providers: per project, per rule and per equivalence
/// key (the first fix each diagnostic offers, e.g. HIPAA001.Redact), re-analyzing after each Fix All so the next one
/// sees the code as it now is.
/// </summary>
public static class FixRunner
{
    private const int MaxFixAllsPerProject = 50;

    public static async Task<FixOutcome> FixAsync(Scanner scanner, CancellationToken cancellationToken)
    {
        var original = scanner.Solution;
        var solution = original;
        var applied = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        var fixers = HipaaRules.Instance.Fixers;

        // One target framework per project file: the others share its files.
        foreach (var group in scanner.Projects)
        {
            var projectId = group.ProjectIds[0];
            var exhausted = new HashSet<(string, string?)>();
            var lastCount = new Dictionary<(string, string?), int>();
            for (int round = 0; round < MaxFixAllsPerProject; round++)
            {
                var project = solution.GetProject(projectId)!;
                var analysis = await Scanner.AnalyzeAsync(project, cancellationToken).ConfigureAwait(false);
                var next = await NextFixAllAsync(project, analysis.RuleDiagnostics, fixers, exhausted, cancellationToken).ConfigureAwait(false);
                if (next is null)
                {
                    break;
                }

                var (fixer, ruleId, key, diagnostics) = next.Value;
                var variant = (ruleId, key);

                // A Fix All that left as many diagnostics of its kind as before will not do better a second time.
                if (lastCount.TryGetValue(variant, out var before) && diagnostics.Length >= before)
                {
                    exhausted.Add(variant);
                    continue;
                }

                lastCount[variant] = diagnostics.Length;
                try
                {
                    var changed = await ApplyFixAllAsync(project, fixer, ruleId, key, diagnostics, cancellationToken).ConfigureAwait(false);
                    if (changed is null || changed == solution)
                    {
                        exhausted.Add(variant);
                        continue;
                    }

                    solution = changed;
                    applied[ruleId] = applied.TryGetValue(ruleId, out var count) ? count + 1 : 1;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    exhausted.Add(variant);
                    problems.Add($"Fix All {key ?? ruleId} failed in {group.Name}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        var files = new List<FixedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var projectChanges in solution.GetChanges(original).GetProjectChanges())
        {
            foreach (var documentId in projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true))
            {
                var before = original.GetDocument(documentId);
                var after = solution.GetDocument(documentId);
                if (before?.FilePath is not { } path || after is null || !seen.Add(path))
                {
                    continue;
                }

                var beforeText = await before.GetTextAsync(cancellationToken).ConfigureAwait(false);
                var afterText = await after.GetTextAsync(cancellationToken).ConfigureAwait(false);
                if (!beforeText.ContentEquals(afterText))
                {
                    files.Add(new FixedFile(path, scanner.Relative(path), beforeText, afterText));
                }
            }
        }

        return new FixOutcome(solution, files.OrderBy(f => f.FullPath, StringComparer.Ordinal).ToList(), applied, problems);
    }

    /// <summary>Writes the fixed files, keeping each file's encoding and byte order mark.</summary>
    public static void Write(IEnumerable<FixedFile> files)
    {
        foreach (var file in files)
        {
            var bom = HasUtf8Bom(file.FullPath);
            var encoding = file.Before.Encoding is UTF8Encoding or null ? new UTF8Encoding(bom) : file.Before.Encoding;
            File.WriteAllText(file.FullPath, file.After.ToString(), encoding);
        }
    }

    private static bool HasUtf8Bom(string path)
    {
        Span<byte> head = stackalloc byte[3];
        using var stream = File.OpenRead(path);
        return stream.Read(head) == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF;
    }

    private static async Task<(CodeFixProvider Fixer, string RuleId, string? Key, ImmutableArray<Diagnostic> Diagnostics)?> NextFixAllAsync(
        Project project,
        ImmutableArray<Diagnostic> diagnostics,
        ImmutableArray<CodeFixProvider> fixers,
        HashSet<(string, string?)> exhausted,
        CancellationToken cancellationToken)
    {
        foreach (var byRule in diagnostics.Where(d => d.Location.IsInSource).GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var fixer in fixers.Where(f => f.FixableDiagnosticIds.Contains(byRule.Key)))
            {
                var byKey = new Dictionary<string, List<Diagnostic>>(StringComparer.Ordinal);
                foreach (var diagnostic in byRule)
                {
                    var document = project.GetDocument(diagnostic.Location.SourceTree);
                    if (document is null)
                    {
                        continue;
                    }

                    var key = await FirstEquivalenceKeyAsync(fixer, document, diagnostic, cancellationToken).ConfigureAwait(false);
                    if (key is null || exhausted.Contains((byRule.Key, key)))
                    {
                        continue;
                    }

                    if (!byKey.TryGetValue(key, out var list))
                    {
                        byKey[key] = list = new List<Diagnostic>();
                    }

                    list.Add(diagnostic);
                }

                var first = byKey.OrderBy(p => p.Key, StringComparer.Ordinal).FirstOrDefault();
                if (first.Value is { Count: > 0 })
                {
                    return (fixer, byRule.Key, first.Key, first.Value.ToImmutableArray());
                }
            }
        }

        return null;
    }

    /// <summary>The equivalence key of the first fix the fixer offers for a diagnostic: the fix an IDE lists first.</summary>
    private static async Task<string?> FirstEquivalenceKeyAsync(
        CodeFixProvider fixer, Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
        await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        var first = actions.FirstOrDefault();
        while (first is not null && first.NestedActions.Length > 0)
        {
            first = first.NestedActions[0];
        }

        return first is null ? null : first.EquivalenceKey ?? first.Title;
    }

    private static async Task<Solution?> ApplyFixAllAsync(
        Project project, CodeFixProvider fixer, string ruleId, string? key, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var provider = fixer.GetFixAllProvider();
        if (provider is null || !provider.GetSupportedFixAllScopes().Contains(FixAllScope.Project))
        {
            return null;
        }

        var context = new FixAllContext(
            project, fixer, FixAllScope.Project, key, new[] { ruleId }, new FixedDiagnostics(diagnostics), cancellationToken);
        var action = await provider.GetFixAsync(context).ConfigureAwait(false);
        if (action is null)
        {
            return null;
        }

        // The operations run code action cleanup: added usings, simplified names, formatting.
        var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
        return operations.OfType<ApplyChangesOperation>().LastOrDefault()?.ChangedSolution;
    }

    /// <summary>Hands Fix All exactly the diagnostics of one rule and equivalence key.</summary>
    private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            return _diagnostics.Where(d => d.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}
