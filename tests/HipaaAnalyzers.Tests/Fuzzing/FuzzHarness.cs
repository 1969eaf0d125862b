using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Phi;
using HipaaAnalyzers.Tests.Robustness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Tests.Fuzzing;

/// <summary>One fuzz input: a seed project with one file replaced by mutated text, and perhaps odd analyzer options.</summary>
internal sealed record FuzzCase(SeedUnit Unit, int FileIndex, string Text, ConfigOptions? Options, bool WholeCompilation, IReadOnlyList<string> Mutations)
{
    public string FilePath => Unit.Files[FileIndex].Path;

    /// <summary>Builds variant <paramref name="iteration"/> of the run with <paramref name="seed"/>: the same pair always gives the same case.</summary>
    public static FuzzCase Create(IReadOnlyList<SeedUnit> samples, IReadOnlyList<SeedUnit> ruleTests, SeedUnit corpus, int seed, int iteration)
    {
        var random = new Random(unchecked((seed * 486187739) + (iteration * 16777619)));
        var pick = random.NextDouble();
        var unit = pick < 0.35 && samples.Count > 0 ? samples[random.Next(samples.Count)]
            : pick < 0.75 && ruleTests.Count > 0 ? ruleTests[random.Next(ruleTests.Count)]
            : corpus;
        var index = random.Next(unit.Files.Count);
        var mutations = new List<string>();
        var text = SourceMutator.Mutate(unit.Files[index].Text, random, mutations);
        var options = random.NextDouble() < 0.15 ? OddOptions(random) : null;
        return new FuzzCase(unit, index, text, options, unit.IsSingleFile || random.NextDouble() < 0.15, mutations);
    }

    public string Describe() =>
        $"{Unit.Name}, file {FilePath}, mutations: {string.Join(", ", Mutations)}" +
        (Options is null ? string.Empty : ", options: " + string.Join("; ", Options.Values.Select(o => o.Key + " = " + o.Value))) +
        (WholeCompilation ? ", whole compilation analyzed" : ", the file analyzed as an open document");

    /// <summary>hipaa_analyzers.* settings with values that are empty, malformed, catastrophic or merely unusual.</summary>
    private static ConfigOptions OddOptions(Random random)
    {
        string[] values =
        {
            string.Empty, " ", ",,;;", "(a+)+$", "[", "(?<", "ssn|dob", ".*", "^$", "true", "false", "maybe", "TRUE ",
            "Foo.Bar", "Phi.Redact, Clinic.Mask.Apply", "a.b.c.d.e", ".", "x", "diagnosis, , ssn", "patient;member",
            new string('a', 2000), "é,ü,ß", "\\", "Redact.", "1.2",
        };
        var builder = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            builder[PhiOptions.AllKeys[random.Next(PhiOptions.AllKeys.Length)]] = values[random.Next(values.Length)];
        }

        if (random.Next(4) == 0)
        {
            builder[PhiOptions.Prefix + "HIPAA001." + PhiOptions.AllKeys[random.Next(PhiOptions.AllKeys.Length)].Substring(PhiOptions.Prefix.Length)] =
                values[random.Next(values.Length)];
        }

        return new ConfigOptions(builder.ToImmutable());
    }
}

/// <summary>What went wrong on one input, and a signature that says whether another input fails the same way.</summary>
internal sealed record FuzzFailure(string Stage, string Component, string ExceptionType, string Details)
{
    /// <summary>The stage of an exception the compiler threw by itself, with no HipaaAnalyzers code on the stack.</summary>
    public const string CompilerStage = "compiler";

    public string Signature => Stage + "|" + Component + "|" + ExceptionType;

    /// <summary>A fault of the compiler the tests run on, not of the analyzers or fixes: reported, never a failure.</summary>
    public bool IsCompilerFault => Stage == CompilerStage;

    public override string ToString() => $"{Stage}: {Component} threw {ExceptionType}\n{Details}";
}

/// <summary>Counts of what the fuzz run exercised, so a run that silently tests nothing is noticed.</summary>
internal sealed class FuzzStatistics
{
    public int Variants;
    public int CompilerFaults;
    public string? FirstCompilerFault;
    public int Diagnostics;
    public int CodeActionsApplied;
    public int FixAllsApplied;
    public System.Diagnostics.Stopwatch Analysis { get; } = new();
    public System.Diagnostics.Stopwatch Fixes { get; } = new();
}

/// <summary>
/// Runs a fuzz case: analyzers over the mutated file (or the whole project), then every code action of every fixer for
/// the rule diagnostics in that file, applied, then Fix All for every equivalence key offered.
/// </summary>
internal sealed class FuzzHarness : IDisposable
{
    /// <summary>Fixes are tried for at most this many diagnostics per case; their Fix All covers the rest.</summary>
    private const int MaxDiagnosticsToFix = 3;

    private readonly AdhocWorkspace _workspace = new();
    private readonly Dictionary<string, Project> _projects = new(StringComparer.Ordinal);

    private FuzzHarness()
    {
    }

    public FuzzStatistics Statistics { get; } = new();

    public static async Task<FuzzHarness> CreateAsync(IEnumerable<SeedUnit> multiFileUnits)
    {
        var harness = new FuzzHarness();
        harness._projects[string.Empty] = await AnalyzerHost.CreateProjectAsync(
            harness._workspace, "Single", new[] { ("/fuzz/Test.cs", string.Empty) });
        foreach (var unit in multiFileUnits)
        {
            harness._projects[unit.Name] = await AnalyzerHost.CreateProjectAsync(harness._workspace, unit.Name, unit.Files, unit.Kind);
        }

        // Compile each base project once; every variant then starts from it and replaces one tree.
        foreach (var project in harness._projects.Values)
        {
            await project.GetCompilationAsync();
        }

        return harness;
    }

    /// <summary>The failure, or null when every analyzer and fix ran cleanly. Gives up (and reports a hang) after <paramref name="timeout"/>.</summary>
    public async Task<FuzzFailure?> CheckAsync(FuzzCase fuzzCase, TimeSpan timeout, bool countStatistics = true)
    {
        using var cancellation = new CancellationTokenSource();
        var check = Task.Run(() => CheckCoreAsync(fuzzCase, countStatistics, cancellation.Token));
        if (await Task.WhenAny(check, Task.Delay(timeout)) != check)
        {
            cancellation.Cancel();
            return new FuzzFailure("timeout", "analyzers or code fixes", "none", $"did not finish within {timeout.TotalSeconds:F0} s");
        }

        return await check;
    }

    private async Task<FuzzFailure?> CheckCoreAsync(FuzzCase fuzzCase, bool countStatistics, CancellationToken cancellationToken)
    {
        if (countStatistics)
        {
            Statistics.Analysis.Start();
        }

        var project = _projects[fuzzCase.Unit.IsSingleFile ? string.Empty : fuzzCase.Unit.Name];
        var documentId = project.Documents.First(d => fuzzCase.Unit.IsSingleFile || d.FilePath == fuzzCase.FilePath).Id;
        var document = project.Solution.WithDocumentText(documentId, SourceText.From(fuzzCase.Text)).GetDocument(documentId)!;
        var tree = (await document.GetSyntaxTreeAsync(cancellationToken))!;
        AnalyzerHost.AnalysisRun run;
        try
        {
            var compilation = (await document.Project.GetCompilationAsync(cancellationToken))!;
            run = await AnalyzerHost.AnalyzeAsync(compilation, fuzzCase.WholeCompilation ? null : tree, fuzzCase.Options?.AsProvider(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // CompilationWithAnalyzers catches what analyzers throw (AD0001); what escapes it was thrown by the compiler,
            // unless our code is on the stack.
            return OursOnStack(ex)
                ? new FuzzFailure("analyzer", "HipaaAnalyzers", Innermost(ex).GetType().Name, ex.ToString())
                : new FuzzFailure(FuzzFailure.CompilerStage, "Roslyn " + typeof(Compilation).Assembly.GetName().Version, Innermost(ex).GetType().Name, ex.ToString());
        }
        finally
        {
            Statistics.Analysis.Stop();
        }

        if (run.Exceptions.Count > 0)
        {
            var crash = run.Exceptions[0];
            return new FuzzFailure("analyzer", crash.Analyzer, crash.ExceptionType, crash.Text);
        }

        var diagnostics = run.Diagnostics
            .Where(d => d.Id.StartsWith("HIPAA", StringComparison.Ordinal) && d.Location.IsInSource && d.Location.SourceTree == tree)
            .ToList();
        if (countStatistics)
        {
            Statistics.Variants++;
            Statistics.Diagnostics += diagnostics.Count;
        }

        if (countStatistics)
        {
            Statistics.Fixes.Start();
        }

        try
        {
            return await FixAsync(document, documentId, diagnostics, countStatistics, cancellationToken);
        }
        finally
        {
            Statistics.Fixes.Stop();
        }
    }

    private async Task<FuzzFailure?> FixAsync(
        Document document, DocumentId documentId, List<Diagnostic> diagnostics, bool countStatistics, CancellationToken cancellationToken)
    {
        var offered = new HashSet<(CodeFixProvider Fixer, string Key)>();
        foreach (var diagnostic in diagnostics.Take(MaxDiagnosticsToFix))
        {
            foreach (var fixer in AnalyzerHost.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var name = fixer.GetType().Name;
                IReadOnlyList<Microsoft.CodeAnalysis.CodeActions.CodeAction> actions;
                try
                {
                    actions = await AnalyzerHost.GetCodeActionsAsync(fixer, document, diagnostic, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return new FuzzFailure("registering code fixes", name, ex.GetType().Name, ex.ToString());
                }

                foreach (var action in actions)
                {
                    try
                    {
                        var changed = await AnalyzerHost.ApplyAsync(action, cancellationToken);
                        if (changed is not null)
                        {
                            _ = await changed.GetDocument(documentId)!.GetTextAsync(cancellationToken);
                            if (countStatistics)
                            {
                                Statistics.CodeActionsApplied++;
                            }
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        return new FuzzFailure("applying a code action", name + " (" + action.EquivalenceKey + ")", ex.GetType().Name, ex.ToString());
                    }

                    if (action.EquivalenceKey is { } key)
                    {
                        offered.Add((fixer, key));
                    }
                }
            }
        }

        foreach (var (fixer, key) in offered)
        {
            try
            {
                var fixable = diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id)).ToList();
                var changed = await AnalyzerHost.FixAllAsync(fixer, document, FixAllScope.Document, key, fixable, cancellationToken);
                if (changed is not null)
                {
                    _ = await changed.GetDocument(documentId)!.GetTextAsync(cancellationToken);
                    if (countStatistics)
                    {
                        Statistics.FixAllsApplied++;
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return new FuzzFailure("Fix All", fixer.GetType().Name + " (" + key + ")", ex.GetType().Name, ex.ToString());
            }
        }

        return null;
    }

    public void Dispose() => _workspace.Dispose();

    /// <summary>A frame of the analyzers or fixes (not of these tests) on the stack of the exception or one it wraps.</summary>
    private static bool OursOnStack(Exception exception) =>
        System.Text.RegularExpressions.Regex.IsMatch(exception.ToString(), @"\bat HipaaAnalyzers\.(?!Tests\.)");

    private static Exception Innermost(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: > 0 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return exception;
    }
}
