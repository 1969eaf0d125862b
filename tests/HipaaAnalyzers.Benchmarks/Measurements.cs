using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.Benchmarks;

/// <summary>What one child process measured for one tool on one corpus size.</summary>
internal sealed class RunResult
{
    public string Tool { get; set; } = string.Empty;
    public string Version { get; set; } = string.Empty;
    public int TargetLines { get; set; }
    public int Lines { get; set; }
    public int Files { get; set; }
    public double ParseMs { get; set; }

    /// <summary>Compiler only: binding and emitting the whole corpus, median of the repeats.</summary>
    public double CompileMs { get; set; }

    public List<double> CompileRunsMs { get; set; } = new();

    public int CompileErrors { get; set; }

    /// <summary>Analyzer execution time from the driver's telemetry, summed over the tool's analyzers; median of the repeats.</summary>
    public double AnalyzerMs { get; set; }

    public List<double> AnalyzerRunsMs { get; set; } = new();

    /// <summary>Wall time of CompilationWithAnalyzers.GetAnalysisResultAsync, which also binds the corpus.</summary>
    public double WallMs { get; set; }

    public List<double> WallRunsMs { get; set; } = new();

    /// <summary>Per analyzer (our rules) or the slowest analyzers (peers), ms.</summary>
    public Dictionary<string, double> PerAnalyzerMs { get; set; } = new();

    /// <summary>HipaaAnalyzers: each rule's time in each run, ms, so that the runs of several processes can be pooled.</summary>
    public Dictionary<string, List<double>> PerAnalyzerRunsMs { get; set; } = new();

    /// <summary>The parse time of the process that made each run, for its paired share; empty in a single process's result.</summary>
    public List<double> ParseRunsMs { get; set; } = new();

    /// <summary>
    /// HipaaAnalyzers: one more run per process, not counted above, with every analyzer wrapped in a
    /// <see cref="PauseCounter"/>.
    /// </summary>
    public List<PauseRun> PauseRuns { get; set; } = new();

    /// <summary>
    /// The collection pauses that fell inside HipaaAnalyzers' callbacks in a pause run, on average: each run's pause
    /// total shared out by the collections that happened while a callback ran, ms. NaN without pause runs. (The
    /// wrapped runs' own telemetry is not the measure: the wrapper adds to every callback.)
    /// </summary>
    public double PausedMsPerRun() => PauseRuns.Count == 0
        ? double.NaN
        : PauseRuns.Average(r => r.Collections > 0 ? r.PauseMs * r.CollectionsInCallbacks / r.Collections : 0);

    public Dictionary<string, int> Findings { get; set; } = new();
    public Dictionary<string, int> PlantedLeaks { get; set; } = new();
    public int AnalyzerCount { get; set; }
    public int SecurityRules { get; set; }
    public int AnalyzerExceptions { get; set; }
    public List<string> ExceptionSamples { get; set; } = new();
    public List<string> LoadErrors { get; set; } = new();
    public long PeakWorkingSetBytes { get; set; }
    public long AllocatedBytes { get; set; }

    /// <summary>Garbage-collection pause time during each run (compile or analysis), ms: the part of the time that grows with the heap.</summary>
    public List<double> GcPauseRunsMs { get; set; } = new();

    /// <summary>The managed heap after a full collection, taken when the run has finished but its compilation is still alive, MB.</summary>
    public double RetainedMb { get; set; }

    /// <summary>
    /// Analyzer tools: before each analysis run, the same process compiles the same corpus (bind and emit), so each
    /// analysis has a compile time taken moments before it on the same machine state.
    /// </summary>
    public List<double> PairedCompileRunsMs { get; set; } = new();

    /// <summary>
    /// The analyzers' share of compile time: the median, over the runs, of each run's analyzer time divided by the
    /// parse time plus its paired compile; NaN when the runs have no paired compile.
    /// </summary>
    public double PairedShare() => PairedShares() is { Count: > 0 } ratios ? Measurements.Median(ratios) : double.NaN;

    /// <summary>
    /// Each run's analyzer time divided by the parse time plus its paired compile, in run order; empty when the runs
    /// have no paired compile. Their smallest and largest say how far one run can be from the median on this machine.
    /// </summary>
    public List<double> PairedShares()
    {
        var ratios = new List<double>();
        if (PairedCompileRunsMs.Count == 0 || PairedCompileRunsMs.Count != AnalyzerRunsMs.Count)
        {
            return ratios;
        }

        for (var i = 0; i < AnalyzerRunsMs.Count; i++)
        {
            var parse = ParseRunsMs.Count == AnalyzerRunsMs.Count ? ParseRunsMs[i] : ParseMs;
            ratios.Add(AnalyzerRunsMs[i] / (parse + PairedCompileRunsMs[i]));
        }

        return ratios;
    }

    /// <summary>
    /// One result from the measurements of several processes of the same tool and size: their runs pooled in process
    /// order, the medians taken over the pooled runs. One process can run slower than another throughout (its code and
    /// heap laid out differently, the shared cores busier), which the runs within it cannot show.
    /// </summary>
    public static RunResult Pool(IReadOnlyList<RunResult> processes)
    {
        var first = processes[0];
        if (processes.Count == 1)
        {
            return first;
        }

        var pooled = new RunResult
        {
            Tool = first.Tool,
            Version = first.Version,
            TargetLines = first.TargetLines,
            Lines = first.Lines,
            Files = first.Files,
            ParseMs = Measurements.Median(processes.Select(p => p.ParseMs).ToList()),
            CompileErrors = processes.Max(p => p.CompileErrors),
            Findings = first.Findings,
            PlantedLeaks = first.PlantedLeaks,
            AnalyzerCount = first.AnalyzerCount,
            SecurityRules = first.SecurityRules,
            AnalyzerExceptions = processes.Sum(p => p.AnalyzerExceptions),
            ExceptionSamples = processes.SelectMany(p => p.ExceptionSamples).Distinct().Take(5).ToList(),
            LoadErrors = processes.SelectMany(p => p.LoadErrors).Distinct().ToList(),
            PeakWorkingSetBytes = processes.Max(p => p.PeakWorkingSetBytes),
            AllocatedBytes = (long)processes.Average(p => p.AllocatedBytes),
            RetainedMb = processes.Max(p => p.RetainedMb),
        };
        foreach (var process in processes)
        {
            if (!process.Findings.OrderBy(f => f.Key).SequenceEqual(first.Findings.OrderBy(f => f.Key)))
            {
                pooled.ExceptionSamples.Add("the processes found different findings: " +
                                            string.Join(", ", process.Findings.Select(f => f.Key + ": " + f.Value)));
            }

            pooled.CompileRunsMs.AddRange(process.CompileRunsMs);
            pooled.AnalyzerRunsMs.AddRange(process.AnalyzerRunsMs);
            pooled.WallRunsMs.AddRange(process.WallRunsMs);
            pooled.GcPauseRunsMs.AddRange(process.GcPauseRunsMs);
            pooled.PairedCompileRunsMs.AddRange(process.PairedCompileRunsMs);
            pooled.PauseRuns.AddRange(process.PauseRuns);
            pooled.ParseRunsMs.AddRange(process.AnalyzerRunsMs.Select(_ => process.ParseMs));
            foreach (var (name, runs) in process.PerAnalyzerRunsMs)
            {
                if (!pooled.PerAnalyzerRunsMs.TryGetValue(name, out var list))
                {
                    pooled.PerAnalyzerRunsMs[name] = list = new List<double>();
                }

                list.AddRange(runs);
            }
        }

        pooled.CompileMs = Measurements.Median(pooled.CompileRunsMs);
        pooled.AnalyzerMs = Measurements.Median(pooled.AnalyzerRunsMs);
        pooled.WallMs = Measurements.Median(pooled.WallRunsMs);
        pooled.PerAnalyzerMs = pooled.PerAnalyzerRunsMs.Count > 0
            ? pooled.PerAnalyzerRunsMs.ToDictionary(p => p.Key, p => Measurements.Median(p.Value))
            : first.PerAnalyzerMs;
        return pooled;
    }
}

/// <summary>An analysis run with every analyzer wrapped in a <see cref="PauseCounter"/>.</summary>
internal sealed class PauseRun
{
    /// <summary>The collections in the run.</summary>
    public long Collections { get; set; }

    /// <summary>The collections that happened while a callback of the analyzers ran.</summary>
    public long CollectionsInCallbacks { get; set; }

    /// <summary>The run's collection pauses, ms.</summary>
    public double PauseMs { get; set; }
}

/// <summary>What one child measured for the single-document (keystroke) case.</summary>
internal sealed class KeystrokeResult
{
    public string Tool { get; set; } = string.Empty;
    public int TargetLines { get; set; }
    public int Lines { get; set; }
    public int Edits { get; set; }

    /// <summary>Wall time of the syntax and semantic analyzer diagnostics of the edited document, per edit.</summary>
    public List<double> WallMs { get; set; } = new();

    /// <summary>The tool's analyzer telemetry for the edited document, per edit.</summary>
    public List<double> AnalyzerMs { get; set; } = new();

    /// <summary>The compiler's own cost for the edited document (its semantic diagnostics), per edit.</summary>
    public List<double> CompilerMs { get; set; } = new();

    public Dictionary<string, double> PerAnalyzerMedianMs { get; set; } = new();
    public int AnalyzerExceptions { get; set; }
    public List<string> LoadErrors { get; set; } = new();

    /// <summary>Characters typed one at a time into one document, each followed by that document's diagnostics.</summary>
    public int TypedCharacters { get; set; }

    /// <summary>Wall time of the typing session with the tool's analyzers (new compilation, syntax and semantic analyzer diagnostics).</summary>
    public double TypingMs { get; set; }

    /// <summary>Wall time of the same session with the compiler alone (new compilation, the document's semantic diagnostics).</summary>
    public double TypingCompilerMs { get; set; }
}

internal static class Measurements
{
    private const int WarmUpLines = 3000;

    /// <summary>Compiles (tool "compiler") or analyzes (any other tool) the corpus of <paramref name="lines"/> lines.</summary>
    public static async Task<RunResult> MeasureAsync(string toolId, int lines, int repeats)
    {
        var tool = Tool.Load(toolId);
        var result = new RunResult
        {
            Tool = toolId,
            Version = tool.Version,
            TargetLines = lines,
            AnalyzerCount = tool.Analyzers.Length,
            SecurityRules = tool.SecurityRules,
            LoadErrors = tool.LoadErrors,
        };
        if (toolId != Tool.Compiler && tool.Analyzers.IsEmpty)
        {
            return result;
        }

        // Warm up on a different, smaller corpus: the JIT, the reference assemblies' symbols, the tool's static state.
        var warmUp = CorpusGenerator.Generate(WarmUpLines, CorpusGenerator.DefaultSeed + 1);
        var warmUpTrees = CorpusCompilation.Parse(warmUp.Files);
        var compiler = toolId == Tool.Compiler ? null : Tool.Load(Tool.Compiler);
        if (compiler is not null)
        {
            await RunOnceAsync(compiler, warmUpTrees, null);
        }

        await RunOnceAsync(tool, warmUpTrees, null);

        var corpus = CorpusGenerator.Generate(lines);
        result.Lines = corpus.Lines;
        result.Files = corpus.Files.Count;
        result.PlantedLeaks = corpus.PlantedLeaks.ToDictionary(p => p.Key, p => p.Value);
        Collect();
        var watch = Stopwatch.StartNew();
        var trees = CorpusCompilation.Parse(corpus.Files);
        result.ParseMs = watch.Elapsed.TotalMilliseconds;

        // One run on this corpus that is not counted: the first run of a process was slower than the next ones by a
        // fifth to a half (the code only this corpus reaches is compiled, the heap grows to this corpus's size), and
        // a build server that has compiled the project before runs like the later ones.
        if (compiler is not null)
        {
            await RunOnceAsync(compiler, trees, null);
        }

        await RunOnceAsync(tool, trees, null);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var compileRuns = new List<double>();
        var wallRuns = new List<double>();
        var perAnalyzerRuns = new Dictionary<string, List<double>>();
        for (var i = 0; i < repeats; i++)
        {
            if (compiler is not null)
            {
                Collect();
                result.PairedCompileRunsMs.Add((await RunOnceAsync(compiler, trees, null)).Elapsed);
            }

            Collect();
            var paused = GC.GetTotalPauseDuration();
            var run = await RunOnceAsync(tool, trees, result);
            result.GcPauseRunsMs.Add((GC.GetTotalPauseDuration() - paused).TotalMilliseconds - run.RetainedPauseMs);
            if (toolId == Tool.Compiler)
            {
                compileRuns.Add(run.Elapsed);
                continue;
            }

            result.AnalyzerRunsMs.Add(run.AnalyzerMs);
            wallRuns.Add(run.Elapsed);
            foreach (var (name, ms) in run.PerAnalyzer)
            {
                if (!perAnalyzerRuns.TryGetValue(name, out var list))
                {
                    perAnalyzerRuns[name] = list = new List<double>();
                }

                list.Add(ms);
            }
        }

        result.AllocatedBytes = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / Math.Max(1, repeats);

        // One more run, not counted, with each analyzer wrapped to count the collection pauses inside its callbacks.
        if (toolId == Tool.Hipaa)
        {
            var counters = tool.Analyzers.Select(a => new PauseCounter(a)).ToImmutableArray();
            if (compiler is not null)
            {
                Collect();
                await RunOnceAsync(compiler, trees, null);
            }

            Collect();
            var pausedBefore = GC.GetTotalPauseDuration();
            var collectionsBefore = GC.CollectionCount(0);
            await RunOnceAsync(tool, trees, null, counters.CastArray<DiagnosticAnalyzer>());
            result.PauseRuns.Add(new PauseRun
            {
                Collections = GC.CollectionCount(0) - collectionsBefore,
                CollectionsInCallbacks = counters.Sum(c => c.Collections),
                PauseMs = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds,
            });
        }

        result.CompileRunsMs = compileRuns;
        result.CompileMs = Median(compileRuns);
        result.AnalyzerMs = Median(result.AnalyzerRunsMs);
        result.WallMs = Median(wallRuns);
        result.WallRunsMs = wallRuns;
        var medians = perAnalyzerRuns.ToDictionary(p => p.Key, p => Median(p.Value));
        result.PerAnalyzerMs = toolId == Tool.Hipaa
            ? medians
            : medians.OrderByDescending(p => p.Value).Take(5).ToDictionary(p => p.Key, p => p.Value);
        if (toolId == Tool.Hipaa)
        {
            result.PerAnalyzerRunsMs = perAnalyzerRuns;
        }
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        result.PeakWorkingSetBytes = process.PeakWorkingSet64;
        return result;
    }

    private static async Task<(double Elapsed, double AnalyzerMs, Dictionary<string, double> PerAnalyzer, double RetainedPauseMs)> RunOnceAsync(
        Tool tool, ImmutableArray<SyntaxTree> trees, RunResult? result, ImmutableArray<DiagnosticAnalyzer> analyzers = default)
    {
        var compilation = CorpusCompilation.Create(trees, tool.Severities);
        if (tool.Id == Tool.Compiler)
        {
            var watch = Stopwatch.StartNew();
            using var stream = new MemoryStream();
            var emitted = compilation.Emit(stream);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (result is not null)
            {
                result.CompileErrors = emitted.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
                foreach (var error in emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5))
                {
                    result.ExceptionSamples.Add("compile error: " + error);
                }
            }

            var retainedPause = Retained(result, compilation, emitted);
            return (elapsed, 0, new Dictionary<string, double>(), retainedPause);
        }

        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => exceptions.Enqueue(analyzer.GetType().Name + ": " + exception.GetType().Name + ": " + exception.Message),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers.IsDefault ? tool.Analyzers : analyzers, options);
        var clock = Stopwatch.StartNew();
        var analysis = await withAnalyzers.GetAnalysisResultAsync(CancellationToken.None);
        var wall = clock.Elapsed.TotalMilliseconds;

        var perAnalyzer = new Dictionary<string, double>(StringComparer.Ordinal);
        double total = 0;
        foreach (var (analyzer, telemetry) in analysis.AnalyzerTelemetryInfo)
        {
            var name = AnalyzerName(analyzer);
            var ms = telemetry.ExecutionTime.TotalMilliseconds;
            perAnalyzer[name] = perAnalyzer.TryGetValue(name, out var existing) ? existing + ms : ms;
            total += ms;
        }

        if (result is not null)
        {
            var diagnostics = analysis.GetAllDiagnostics();
            result.Findings = diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
            result.AnalyzerExceptions = exceptions.Count + diagnostics.Count(d => d.Id == "AD0001");
            result.ExceptionSamples.AddRange(exceptions.Distinct().Take(3));
        }

        var pause = Retained(result, withAnalyzers, analysis);
        return (wall, total, perAnalyzer, pause);
    }

    /// <summary>
    /// Records the managed heap while the run's compilation (and the analysis of it) is still reachable, and returns the
    /// pause of the full collection that took, so that it is not counted in the run's own pauses.
    /// </summary>
    private static double Retained(RunResult? result, object alive, object alsoAlive)
    {
        if (result is null)
        {
            return 0;
        }

        var paused = GC.GetTotalPauseDuration();
        result.RetainedMb = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        GC.KeepAlive(alive);
        GC.KeepAlive(alsoAlive);
        return (GC.GetTotalPauseDuration() - paused).TotalMilliseconds;
    }

    /// <summary>
    /// The keystroke: a one-token edit in one file of the corpus, then the analyzer diagnostics of that document only,
    /// on the new compilation, the way an IDE asks for them.
    /// </summary>
    public static async Task<KeystrokeResult> MeasureKeystrokeAsync(string toolId, int lines, int edits)
    {
        var tool = Tool.Load(toolId);
        var result = new KeystrokeResult { Tool = toolId, TargetLines = lines, LoadErrors = tool.LoadErrors };
        if (tool.Analyzers.IsEmpty)
        {
            return result;
        }

        var warmUp = CorpusGenerator.Generate(WarmUpLines, CorpusGenerator.DefaultSeed + 1);
        await KeystrokesAsync(tool, CorpusCompilation.Parse(warmUp.Files), 3, new KeystrokeResult());

        var corpus = CorpusGenerator.Generate(lines);
        result.Lines = corpus.Lines;
        var trees = CorpusCompilation.Parse(corpus.Files);
        await KeystrokesAsync(tool, trees, edits, result);
        await TypingAsync(tool, trees, result);
        return result;
    }

    /// <summary>The statement typed, one character at a time, at the start of a method body.</summary>
    private const string TypedStatement = "System.Console.WriteLine(\"typed by hand\");";

    /// <summary>
    /// Typing: a statement typed one character at a time into one service of the solution, the document's syntax and
    /// semantic analyzer diagnostics asked after every character, as an editor does while the user types (the states
    /// in between do not parse). The same session is timed with the compiler alone (the document's semantic
    /// diagnostics), so the two rates say what the analyzers cost the typist.
    /// </summary>
    private static async Task TypingAsync(Tool tool, ImmutableArray<SyntaxTree> trees, KeystrokeResult result)
    {
        var baseline = CorpusCompilation.Create(trees, tool.Severities);
        _ = baseline.GetDeclarationDiagnostics();
        var services = trees.Where(t => t.FilePath.EndsWith("Service.cs", StringComparison.Ordinal)).ToList();
        if (services.Count == 0)
        {
            return;
        }

        var document = services[services.Count / 2];
        var body = document.GetRoot().DescendantNodes().OfType<BlockSyntax>().First(b => b.Parent is MethodDeclarationSyntax);
        var position = body.OpenBraceToken.Span.End;
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false,
            logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: false);

        foreach (var withAnalyzers in new[] { true, false })
        {
            var compilation = baseline;
            var tree = document;
            Collect();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < TypedStatement.Length; i++)
            {
                var typed = tree.WithChangedText(tree.GetText().WithChanges(new TextChange(new TextSpan(position + i, 0), TypedStatement[i].ToString())));
                compilation = compilation.ReplaceSyntaxTree(tree, typed);
                tree = typed;
                if (withAnalyzers)
                {
                    var analysis = compilation.WithAnalyzers(tool.Analyzers, options);
                    _ = await analysis.GetAnalyzerSyntaxDiagnosticsAsync(tree, CancellationToken.None);
                    _ = await analysis.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(tree), null, CancellationToken.None);
                }
                else
                {
                    _ = compilation.GetSemanticModel(tree).GetDiagnostics();
                }
            }

            if (withAnalyzers)
            {
                result.TypingMs = watch.Elapsed.TotalMilliseconds;
            }
            else
            {
                result.TypingCompilerMs = watch.Elapsed.TotalMilliseconds;
            }
        }

        result.TypedCharacters = TypedStatement.Length;
    }

    private static async Task KeystrokesAsync(Tool tool, ImmutableArray<SyntaxTree> trees, int edits, KeystrokeResult result)
    {
        var baseline = CorpusCompilation.Create(trees, tool.Severities);

        // What the IDE holds before the keystroke: the previous compilation with its declarations built.
        _ = baseline.GetDeclarationDiagnostics();

        // Services hold most of the sinks; spread the edits over the whole code base.
        var candidates = trees.Where(t => t.FilePath.EndsWith("Service.cs", StringComparison.Ordinal)).ToList();
        var perAnalyzer = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var i = 0; i < edits && candidates.Count > 0; i++)
        {
            var tree = candidates[(int)((long)i * candidates.Count / edits)];
            var edited = TypeOneCharacter(tree);
            var compilation = baseline.ReplaceSyntaxTree(tree, edited);
            var exceptions = 0;
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (_, _, _) => Interlocked.Increment(ref exceptions),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: true,
                reportSuppressedDiagnostics: false);

            Collect();
            var watch = Stopwatch.StartNew();
            var withAnalyzers = compilation.WithAnalyzers(tool.Analyzers, options);
            var syntax = await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(edited, CancellationToken.None);
            var semantic = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(edited), null, CancellationToken.None);
            result.WallMs.Add(watch.Elapsed.TotalMilliseconds);

            double total = 0;
            foreach (var analyzer in tool.Analyzers)
            {
                var ms = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime.TotalMilliseconds;
                total += ms;
                var name = AnalyzerName(analyzer);
                if (!perAnalyzer.TryGetValue(name, out var list))
                {
                    perAnalyzer[name] = list = new List<double>();
                }

                list.Add(ms);
            }

            result.AnalyzerMs.Add(total);
            result.AnalyzerExceptions += exceptions + syntax.Concat(semantic).Count(d => d.Id == "AD0001");

            // The compiler's share: the same document's semantic diagnostics on a fresh compilation of the same edit.
            var fresh = baseline.ReplaceSyntaxTree(tree, edited);
            Collect();
            watch.Restart();
            _ = fresh.GetSemanticModel(edited).GetDiagnostics();
            result.CompilerMs.Add(watch.Elapsed.TotalMilliseconds);
        }

        result.Edits = result.WallMs.Count;
        result.PerAnalyzerMedianMs = tool.Id == Tool.Hipaa
            ? perAnalyzer.ToDictionary(p => p.Key, p => Median(p.Value))
            : perAnalyzer.ToDictionary(p => p.Key, p => Median(p.Value)).OrderByDescending(p => p.Value).Take(3).ToDictionary(p => p.Key, p => p.Value);
    }

    /// <summary>Adds one character to the first string literal inside a method body: a one-token edit.</summary>
    private static SyntaxTree TypeOneCharacter(SyntaxTree tree)
    {
        var root = tree.GetRoot();
        var literal = root.DescendantNodes()
            .OfType<LiteralExpressionSyntax>()
            .First(l => l.IsKind(SyntaxKind.StringLiteralExpression) && l.Ancestors().Any(a => a is BlockSyntax or ArrowExpressionClauseSyntax));
        var change = new TextChange(new TextSpan(literal.Token.SpanStart + 1, 0), "x");
        return tree.WithChangedText(tree.GetText().WithChanges(change));
    }

    /// <summary>HIPAA001 for our analyzers (they report one rule each), the type name for the others.</summary>
    private static string AnalyzerName(DiagnosticAnalyzer analyzer)
    {
        var name = (analyzer is PauseCounter counter ? counter.Inner : analyzer).GetType().Name;
        return name.StartsWith("HIPAA", StringComparison.Ordinal) && name.Length >= 8 ? name.Substring(0, 8) : name;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
