using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Corpus;
using HipaaAnalyzers.Tests.Robustness;
using HipaaAnalyzers.Tests.Samples;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Tests.FixAll;

/// <summary>
/// Applies Fix All, for every fixer and every equivalence key it offers, across a whole project: the sample app and
/// generated code. The fixed project must compile without a new error, and the rule must be gone wherever the fix
/// applied; it may stay only on the diagnostics for which that fix was not offered.
/// </summary>
/// <remarks>
/// The project before the fixes is compiled and analyzed whole. After a Fix All, the files it changed are: their
/// semantic errors, the project's declaration errors (a fix that broke a signature shows there), and the analyzers
/// over each changed file, as the IDE analyzes an open document. Files a fix did not touch keep their diagnostics.
/// </remarks>
public sealed class FixAllTests
{
    private readonly ITestOutputHelper _output;

    public FixAllTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Targets => new()
    {
        "samples/ClinicApi",

        // The first modules of the benchmark's corpus (the generator is deterministic: a smaller size is a prefix).
        "benchmark corpus",

        // Generated code in which about half of the sinks leak, for many fix sites of every shape the generator writes.
        "leaky corpus",
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Fix_All_of_every_fix_compiles_and_clears_its_rule(string target)
    {
        var (files, kind, planted) = Load(target);
        using var workspace = new AdhocWorkspace();
        var project = await AnalyzerHost.CreateProjectAsync(workspace, "FixAll", files, kind);
        var solution = project.Solution;
        var compilation = (await project.GetCompilationAsync())!;
        var baselineErrors = Errors(compilation).ToList();
        Assert.True(baselineErrors.Count == 0, $"{target} does not compile before any fix:\n" + string.Join("\n", baselineErrors.Take(20)));

        var analysis = await AnalyzerHost.AnalyzeAsync(compilation, null, null, CancellationToken.None);
        Assert.True(analysis.Exceptions.Count == 0, "An analyzer threw:\n" + string.Join("\n", analysis.Exceptions.Select(e => e.Text)));
        var diagnostics = analysis.Diagnostics.Where(d => d.Id.StartsWith("HIPAA", StringComparison.Ordinal)).ToList();
        foreach (var (rule, count) in planted)
        {
            // Every leak the generator wrote on purpose is found (the name heuristics may find more).
            Assert.True(diagnostics.Count(d => d.Id == rule) >= count, $"{target}: {count} {rule} leaks were planted, {diagnostics.Count(d => d.Id == rule)} found.");
        }

        var problems = new List<string>();
        var keysTried = 0;
        foreach (var fixer in AnalyzerHost.Fixers)
        {
            var fixable = diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id)).ToList();
            var offered = new Dictionary<Diagnostic, HashSet<string>>();
            foreach (var diagnostic in fixable)
            {
                var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
                var actions = await AnalyzerHost.GetCodeActionsAsync(fixer, document, diagnostic, CancellationToken.None);
                offered[diagnostic] = actions.Select(a => a.EquivalenceKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
            }

            foreach (var key in offered.Values.SelectMany(k => k).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
            {
                keysTried++;
                var withFix = fixable.Where(d => offered[d].Contains(key)).ToList();
                var withoutFix = fixable.Count - withFix.Count;
                var first = solution.GetDocument(withFix[0].Location.SourceTree)!;
                var fixedSolution = await AnalyzerHost.FixAllAsync(fixer, first, FixAllScope.Solution, key, fixable, CancellationToken.None);
                if (fixedSolution is null)
                {
                    problems.Add($"{key}: Fix All changed nothing, though {withFix.Count} diagnostics offer it.");
                    continue;
                }

                var fixedCompilation = (await fixedSolution.GetProject(project.Id)!.GetCompilationAsync())!;
                var edits = await EditedSpansAsync(solution, fixedSolution);
                var changedTrees = fixedCompilation.SyntaxTrees.Where(t => edits.ContainsKey(t.FilePath)).ToList();
                var errors = fixedCompilation.GetDeclarationDiagnostics()
                    .Concat(changedTrees.SelectMany(t => fixedCompilation.GetSemanticModel(t).GetDiagnostics()))
                    .Where(d => d.Severity == DiagnosticSeverity.Error)
                    .Distinct();
                foreach (var error in errors)
                {
                    problems.Add($"{key}: the fixed code does not compile: {Describe(error)}");
                }

                // A secrets fix takes the secret out of the code: no literal it replaced, or that a declaration it read held, is left anywhere.
                foreach (var secret in await SecretLiteralsAsync(solution, withFix.Where(d => d.Id is "HIPAA201" or "HIPAA202" or "HIPAA203")))
                {
                    foreach (var document in fixedSolution.GetProject(project.Id)!.Documents)
                    {
                        var text = (await document.GetTextAsync()).ToString();
                        if (text.Contains(secret, StringComparison.Ordinal))
                        {
                            problems.Add($"{key}: the secret \"{secret}\" is still in {Path.GetFileName(document.FilePath)} after the fix.");
                        }
                    }
                }

                // What stays of the rule: its diagnostics in the files the fix did not touch, and whatever is reported now in those it did.
                var remaining = fixable.Where(d => !edits.ContainsKey(d.Location.SourceTree!.FilePath)).ToList();
                foreach (var tree in changedTrees)
                {
                    var rerun = await AnalyzerHost.AnalyzeAsync(fixedCompilation, tree, null, CancellationToken.None);
                    problems.AddRange(rerun.Exceptions.Select(e => $"{key}: an analyzer threw on the fixed code: {e.Text}"));
                    remaining.AddRange(rerun.Diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id)));
                }

                foreach (var diagnostic in remaining)
                {
                    var tree = diagnostic.Location.SourceTree!;
                    if (edits.TryGetValue(tree.FilePath, out var spans) && spans.Any(s => s.IntersectsWith(diagnostic.Location.SourceSpan)))
                    {
                        problems.Add($"{key}: {diagnostic.Id} is still reported where the fix applied: {Where(diagnostic)}: {LineOf(diagnostic)}");
                    }
                }

                if (remaining.Count > withoutFix)
                {
                    problems.Add($"{key}: {remaining.Count} {string.Join("/", fixer.FixableDiagnosticIds)} diagnostics remain, but only {withoutFix} " +
                                 "were not offered this fix:\n    " + string.Join("\n    ", remaining.Select(d => $"{Where(d)}: {LineOf(d)}")));
                }

                _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{target}: {key}: {withFix.Count} of {fixable.Count} diagnostics offer it; after Fix All {remaining.Count} remain, " +
                    $"{edits.Count} files changed"));
            }
        }

        Assert.True(keysTried > 0, $"No fix was offered anywhere in {target}.");
        Assert.True(problems.Count == 0, $"Fix All on {target}:\n" + string.Join("\n", problems));
    }

    private static (IReadOnlyList<(string Path, string Text)> Files, OutputKind Kind, IReadOnlyDictionary<string, int> Planted) Load(string target)
    {
        switch (target)
        {
            case "samples/ClinicApi":
                var folder = Path.Combine(SampleApp.RepositoryRoot, "samples", "ClinicApi");
                var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                    .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                    .OrderBy(p => p, StringComparer.Ordinal)
                    .Select(p => (p, File.ReadAllText(p)))
                    .ToList();
                return (files, OutputKind.ConsoleApplication, new Dictionary<string, int>());
            case "benchmark corpus":
                return FromCorpus(CorpusGenerator.Generate(6_000));
            case "leaky corpus":
                return FromCorpus(CorpusGenerator.Generate(2_500, seed: 7, leakRate: 0.6));
            default:
                throw new ArgumentOutOfRangeException(nameof(target), target, null);
        }

        static (IReadOnlyList<(string, string)>, OutputKind, IReadOnlyDictionary<string, int>) FromCorpus(GeneratedCorpus corpus) =>
            (corpus.Files.Select(f => ("/corpus/" + f.Path, f.Text)).ToList(), OutputKind.ConsoleApplication, corpus.PlantedLeaks);
    }

    /// <summary>
    /// The string literals a secrets diagnostic points at (HIPAA201 and HIPAA202, whose location is the value) and those
    /// held by the fields, constants and locals its location reads, through their initializers.
    /// </summary>
    private static async Task<HashSet<string>> SecretLiteralsAsync(Solution solution, IEnumerable<Diagnostic> diagnostics)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics)
        {
            var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
            var model = (await document.GetSemanticModelAsync())!;
            var node = (await document.GetSyntaxRootAsync())!.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (diagnostic.Id != "HIPAA203")
            {
                AddLiterals(node, secrets);
            }

            var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var queue = new Queue<(SyntaxNode Node, SemanticModel Model)>();
            queue.Enqueue((node, model));
            while (queue.Count > 0)
            {
                var (current, currentModel) = queue.Dequeue();
                foreach (var identifier in current.DescendantNodesAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax>())
                {
                    if (currentModel.GetSymbolInfo(identifier).Symbol is { Kind: SymbolKind.Field or SymbolKind.Local } symbol &&
                        symbol.DeclaringSyntaxReferences.Length == 1 && seen.Add(symbol) &&
                        symbol.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } value })
                    {
                        AddLiterals(value, secrets);
                        queue.Enqueue((value, currentModel.Compilation.GetSemanticModel(value.SyntaxTree)));
                    }
                }
            }
        }

        return secrets;

        static void AddLiterals(SyntaxNode node, HashSet<string> into)
        {
            foreach (var literal in node.DescendantNodesAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax>())
            {
                if (literal.Token.Value is string { Length: >= 8 } text)
                {
                    into.Add(text);
                }
            }
        }
    }

    /// <summary>Per file, the spans of the fixed text that the fixes wrote.</summary>
    private static async Task<Dictionary<string, List<TextSpan>>> EditedSpansAsync(Solution before, Solution after)
    {
        var result = new Dictionary<string, List<TextSpan>>(StringComparer.Ordinal);
        foreach (var id in AnalyzerHost.ChangedDocuments(before, after))
        {
            var oldDocument = before.GetDocument(id)!;
            var newDocument = after.GetDocument(id)!;
            var spans = new List<TextSpan>();
            var delta = 0;
            foreach (var change in (await newDocument.GetTextChangesAsync(oldDocument)).OrderBy(c => c.Span.Start))
            {
                var length = change.NewText?.Length ?? 0;
                spans.Add(new TextSpan(change.Span.Start + delta, length));
                delta += length - change.Span.Length;
            }

            result[newDocument.FilePath!] = spans;
        }

        return result;
    }

    private static IEnumerable<string> Errors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe);

    private static string Describe(Diagnostic diagnostic) =>
        $"{Where(diagnostic)}: {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}: {LineOf(diagnostic)}";

    private static string Where(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return Path.GetFileName(span.Path) + ":" + (span.StartLinePosition.Line + 1);
    }

    private static string LineOf(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree is { } tree
            ? tree.GetText().Lines[diagnostic.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim()
            : string.Empty;
}
