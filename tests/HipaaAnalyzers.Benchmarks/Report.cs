using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Benchmarks;

/// <summary>Prints the measurements as Markdown tables, with the targets checked.</summary>
internal static class Report
{
    /// <summary>The rules the corpus plants leaks for (the findings column).</summary>
    private static readonly string[] PlantedRules = { "HIPAA001", "HIPAA002", "HIPAA003", "HIPAA004" };

    /// <summary>The 1-minute load average (Linux), which says how much other work shared the cores; null elsewhere.</summary>
    public static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string Write(BenchmarkOptions options, List<RunResult> runs, List<KeystrokeResult> keystrokes, TimeSpan elapsed, string? loadAtStart)
    {
        var text = new StringBuilder();
        Line(text, "## Results");
        Line(text);
        Line(text, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; the whole run took {elapsed.TotalMinutes:F0} min.");
        Line(text, $"- Machine: {Environment.ProcessorCount} cores ({Cpu()}), {Memory()}, {RuntimeInformation.OSDescription}; " +
                   $".NET {Environment.Version}; Roslyn {typeof(Compilation).Assembly.GetName().Version}." +
                   (loadAtStart is null ? string.Empty : $" Load average (other work on the shared cores): {loadAtStart} at the start, {LoadAverage()} at the end."));
        Line(text, "- Command: `dotnet run -c Release --project tests/HipaaAnalyzers.Benchmarks" +
                   (options.CommandLine.Length > 0 ? " -- " + options.CommandLine : string.Empty) + "`");
        Line(text, "- Compilation and analysis are single-threaded (concurrentBuild and concurrentAnalysis off), each measurement in a " +
                   "process of its own after a warm-up on a smaller corpus; times are medians of the runs shown." +
                   (options.Processes > 1
                       ? $" HipaaAnalyzers are measured by {options.Processes} processes at each size, one after another, and their runs are pooled."
                       : string.Empty));
        Line(text);

        var sizes = runs.Select(r => r.TargetLines).Distinct().OrderBy(s => s).ToList();
        var compile = sizes.ToDictionary(s => s, s => runs.FirstOrDefault(r => r.TargetLines == s && r.Tool == Tool.Compiler));
        var ours = sizes.ToDictionary(s => s, s => runs.FirstOrDefault(r => r.TargetLines == s && r.Tool == Tool.Hipaa));
        var driver = sizes.ToDictionary(s => s, s => runs.FirstOrDefault(r => r.TargetLines == s && r.Tool == Tool.Driver));
        string Marginal(RunResult run) =>
            driver[run.TargetLines] is { } d ? Ms(run.WallMs - d.WallMs) : "-";

        Line(text, "### HipaaAnalyzers");
        Line(text);
        // Every rule of the assembly (one analyzer per rule), as the runs name them.
        var ourRules = ours.Values.Where(o => o is not null).SelectMany(o => o!.PerAnalyzerMs.Keys).Distinct().OrderBy(r => r, StringComparer.Ordinal).ToList();
        Line(text, "| Corpus | Compile (parse + bind + emit) | HipaaAnalyzers (telemetry) | Share of compile (paired runs: median, range) | Per 1,000 lines | " +
                   "Wall over the no-op driver | Peak memory: compile / analyze | Findings (planted leaks) |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var size in sizes)
        {
            var c = compile[size];
            var o = ours[size];
            if (o is null)
            {
                continue;
            }

            var compileMs = c is null ? double.NaN : c.ParseMs + c.CompileMs;
            var findings = string.Join(", ", PlantedRules.Select(r =>
                $"{r[^3..]}: {o.Findings.GetValueOrDefault(r)} ({o.PlantedLeaks.GetValueOrDefault(r)})"));
            Line(text, $"| {o.Lines:N0} lines, {o.Files:N0} files | {Ms(compileMs)} | {Ms(o.AnalyzerMs)} ({Runs(o.AnalyzerRunsMs)}) | " +
                       $"{Percent(Share(o, c))}{ShareRange(o, " ({0})")} | {Ms(o.AnalyzerMs * 1000 / o.Lines, 2)} | {Marginal(o)} | " +
                       $"{Mb(c?.PeakWorkingSetBytes)} / {Mb(o.PeakWorkingSetBytes)} | {findings} |");
        }

        Line(text);
        var measured = sizes.Where(size => ours[size] is not null).ToList();
        if (ourRules.Count > 0)
        {
            Line(text, "Per rule (telemetry, median run):");
            Line(text);
            Line(text, "| Rule | " + string.Join(" | ", measured.Select(size => $"{ours[size]!.Lines:N0} lines")) + " |");
            Line(text, "|---|" + string.Concat(measured.Select(_ => "---:|")));
            foreach (var rule in ourRules)
            {
                Line(text, $"| {rule} | " + string.Join(" | ", measured.Select(size => ours[size]!.PerAnalyzerMs.TryGetValue(rule, out var ms) ? Ms(ms, 1) : "-")) + " |");
            }

            Line(text);
        }

        if (sizes.Count > 1 && ours[sizes[0]] is { } first && ours[sizes[^1]] is { } last)
        {
            Line(text, $"Growth {first.Lines:N0} → {last.Lines:N0} lines (×{(double)last.Lines / first.Lines:F1}): HipaaAnalyzers ×{last.AnalyzerMs / first.AnalyzerMs:F1}" +
                       (compile[sizes[0]] is { } c0 && compile[sizes[^1]] is { } c1
                           ? $", compile ×{(c1.ParseMs + c1.CompileMs) / (c0.ParseMs + c0.CompileMs):F1}"
                           : string.Empty) + ".");
            Line(text);
        }

        var pauseSizes = measured.Where(size => ours[size]!.PauseRuns.Count > 0).ToList();
        if (pauseSizes.Count > 0)
        {
            // Not a verdict: the targets judge the telemetry as it is. This says how much of it a collection of the
            // compiler's heap can be, and how that part grows with the heap.
            Line(text, "Collections inside HipaaAnalyzers' callbacks (one more run per process, each analyzer wrapped to count the " +
                       "collections that happen while its callbacks run; a collection stops every thread, so its pause counts to the " +
                       "callback it falls in; the pause is the run's collection pauses shared out by collection):");
            Line(text);
            Line(text, "| Corpus | Collections in the runs | Of them inside a callback | Their pause per run (estimated) | Share of the median telemetry |");
            Line(text, "|---|---:|---:|---:|---:|");
            foreach (var size in pauseSizes)
            {
                var o = ours[size]!;
                var perRun = o.PausedMsPerRun();
                Line(text, $"| {o.Lines:N0} lines | {o.PauseRuns.Sum(r => r.Collections)} | {o.PauseRuns.Sum(r => r.CollectionsInCallbacks)} | " +
                           $"{Ms(perRun)} | {Percent(perRun / o.AnalyzerMs)} |");
            }

            Line(text);
        }

        var peers = runs.Where(r => r.Tool is not (Tool.Compiler or Tool.Driver or Tool.Hipaa)).Select(r => r.Tool).Distinct().ToList();
        if (peers.Count > 0)
        {
            Line(text, "### Peers, security rules only, on the same corpus");
            Line(text);
            Line(text, "| Corpus | Tool | Security rules on | Analyzer time (telemetry) | Ratio to HipaaAnalyzers | Per 1,000 lines | Share of compile (paired runs) | Wall over the no-op driver | Findings | Peak memory | Slowest analyzers |");
            Line(text, "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|");
            foreach (var size in sizes)
            {
                foreach (var peer in peers)
                {
                    var p = runs.FirstOrDefault(r => r.TargetLines == size && r.Tool == peer);
                    if (p is null)
                    {
                        continue;
                    }

                    var o = ours[size];
                    var c = compile[size];
                    var name = $"{Tool.DisplayName(peer)} {p.Version}";
                    if (p.AnalyzerCount == 0)
                    {
                        Line(text, $"| {size:N0} | {name} | - | not loaded | - | - | - | - | - | - | {string.Join("; ", p.LoadErrors)} |");
                        continue;
                    }

                    var findings = p.Findings.Count == 0 ? "none" : string.Join(", ", p.Findings.OrderByDescending(f => f.Value).Take(4).Select(f => $"{f.Key}: {f.Value}"));
                    var slowest = string.Join(", ", p.PerAnalyzerMs.OrderByDescending(a => a.Value).Take(3).Select(a => $"{a.Key} {Ms(a.Value)}"));
                    Line(text, $"| {p.Lines:N0} lines | {name} | {p.SecurityRules} | {Ms(p.AnalyzerMs)} ({Runs(p.AnalyzerRunsMs)}) | " +
                               $"{(o is null ? "-" : "×" + (p.AnalyzerMs / o.AnalyzerMs).ToString("F1", CultureInfo.InvariantCulture))} | " +
                               $"{Ms(p.AnalyzerMs * 1000 / p.Lines, 1)} | {Percent(Share(p, c))} | {Marginal(p)} | {findings} | " +
                               $"{Mb(p.PeakWorkingSetBytes)} | {slowest} |");
                }
            }

            Line(text);
            foreach (var peer in peers)
            {
                var p0 = runs.FirstOrDefault(r => r.TargetLines == sizes[0] && r.Tool == peer);
                var p1 = runs.FirstOrDefault(r => r.TargetLines == sizes[^1] && r.Tool == peer);
                if (sizes.Count > 1 && p0 is { AnalyzerMs: > 0 } && p1 is { AnalyzerMs: > 0 })
                {
                    Line(text, $"- Growth of {Tool.DisplayName(peer)}: ×{p1.AnalyzerMs / p0.AnalyzerMs:F1} for ×{(double)p1.Lines / p0.Lines:F1} lines.");
                }

                foreach (var error in runs.Where(r => r.Tool == peer).SelectMany(r => r.LoadErrors).Distinct())
                {
                    Line(text, $"- {Tool.DisplayName(peer)} load error: {error}");
                }
            }

            Line(text);
        }

        if (keystrokes.Count > 0)
        {
            Line(text, "### One keystroke: a one-token edit, then the analyzer diagnostics of that document only");
            Line(text);
            Line(text, "| Solution | Tool | Wall time, median (max) | In analyzers, median (max) | Compiler for that document, median | Per rule, median |");
            Line(text, "|---|---|---:|---:|---:|---|");
            foreach (var k in keystrokes.OrderBy(k => k.TargetLines).ThenBy(k => k.Tool == Tool.Hipaa ? 0 : 1))
            {
                var name = Tool.DisplayName(k.Tool);
                if (k.Edits == 0)
                {
                    Line(text, $"| {k.TargetLines:N0} | {name} | not loaded | - | - | {string.Join("; ", k.LoadErrors)} |");
                    continue;
                }

                var perRule = string.Join(", ", k.PerAnalyzerMedianMs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {Ms(p.Value, 2)}"));
                Line(text, $"| {k.Lines:N0} lines ({k.Edits} edits) | {name} | {Ms(Measurements.Median(k.WallMs))} ({Ms(k.WallMs.Max())}) | " +
                           $"{Ms(Measurements.Median(k.AnalyzerMs), 1)} ({Ms(k.AnalyzerMs.Max(), 1)}) | {Ms(Measurements.Median(k.CompilerMs))} | {perRule} |");
            }

            Line(text);
            var typing = keystrokes.Where(k => k.TypedCharacters > 0).OrderBy(k => k.TargetLines).ThenBy(k => k.Tool == Tool.Hipaa ? 0 : 1).ToList();
            if (typing.Count > 0)
            {
                Line(text, "### Typing: a statement typed one character at a time into one document, its diagnostics after each character");
                Line(text);
                Line(text, "| Solution | Tool | Characters | Edits per second with the tool | With the compiler alone | Cost per character |");
                Line(text, "|---|---|---:|---:|---:|---:|");
                foreach (var k in typing)
                {
                    Line(text, $"| {k.Lines:N0} lines | {Tool.DisplayName(k.Tool)} | {k.TypedCharacters} | {Rate(k.TypedCharacters, k.TypingMs)} | " +
                               $"{Rate(k.TypedCharacters, k.TypingCompilerMs)} | {Ms((k.TypingMs - k.TypingCompilerMs) / k.TypedCharacters, 1)} |");
                }

                Line(text);
            }
        }

        Line(text, "### Targets");
        Line(text);
        foreach (var size in sizes)
        {
            if (ours[size] is not { } o)
            {
                continue;
            }

            var share = Share(o, compile[size]);
            Line(text, $"- {o.Lines:N0} lines: HipaaAnalyzers take {Percent(share)} of compile time{ShareRange(o, ", {0} across the paired runs")} " +
                       $"(target ≤ 10%): {Verdict(share <= 0.10)}.");
            foreach (var peer in peers)
            {
                var p = runs.FirstOrDefault(r => r.TargetLines == size && r.Tool == peer);
                if (p is { AnalyzerCount: > 0 })
                {
                    Line(text, $"- {o.Lines:N0} lines: below {Tool.DisplayName(peer)} ({Ms(o.AnalyzerMs)} vs {Ms(p.AnalyzerMs)}): {Verdict(o.AnalyzerMs < p.AnalyzerMs)}.");
                }
            }

            if (o.AnalyzerExceptions > 0)
            {
                Line(text, $"- {o.Lines:N0} lines: {o.AnalyzerExceptions} analyzer exceptions: {string.Join("; ", o.ExceptionSamples)}");
            }
        }

        if (sizes.Count > 1 && ours[sizes[0]] is { } small && ours[sizes[^1]] is { } large)
        {
            // Linear means the time grows like the code: the growth divided by the size ratio stays at about 1.
            var lineRatio = (double)large.Lines / small.Lines;
            var growth = large.AnalyzerMs / small.AnalyzerMs;
            Line(text, $"- Growth {small.Lines:N0} → {large.Lines:N0} lines: ×{growth:F1} for ×{lineRatio:F1} the lines, " +
                       $"{growth / lineRatio:F2} per line ratio (target ≤ {MaxGrowthPerLineRatio:F2}): {Verdict(growth / lineRatio <= MaxGrowthPerLineRatio)}.");
            var largeCompile = compile[sizes[^1]] is { } lc ? lc.ParseMs + lc.CompileMs : double.NaN;
            foreach (var rule in ourRules)
            {
                if (!small.PerAnalyzerMs.TryGetValue(rule, out var before) || !large.PerAnalyzerMs.TryGetValue(rule, out var after))
                {
                    continue;
                }

                // A rule that costs less than half a percent of the compile at the largest size is within the noise of
                // the telemetry (a collection that starts in its callback): its growth is shown, not judged.
                if (after < NegligibleShare * largeCompile)
                {
                    Line(text, $"  - {rule}: {Ms(before, 1)} → {Ms(after, 1)}, {(before > 0 ? (after / before / lineRatio).ToString("F2", CultureInfo.InvariantCulture) : "-")} per line ratio " +
                               $"(under {Percent(NegligibleShare)} of compile time: not judged).");
                    continue;
                }

                var ratio = before > 0 ? after / before / lineRatio : double.PositiveInfinity;
                Line(text, $"  - {rule}: {Ms(before, 1)} → {Ms(after, 1)}, {ratio:F2} per line ratio: {Verdict(ratio <= MaxGrowthPerLineRatio)}" +
                           (ratio <= MaxGrowthPerLineRatio ? "." : " (superlinear)."));
            }
        }

        // Not a target: the same figures without the collection pauses that fell inside the callbacks, which tells the
        // rules' own work from the pauses of the compiler's heap (see the collections table above).
        var withoutPauses = sizes.Where(size => ours[size] is { PauseRuns.Count: > 0 }).ToList();
        if (withoutPauses.Count > 0)
        {
            string Own(int size) => Percent(Share(ours[size]!, compile[size]) * (1 - ours[size]!.PausedMsPerRun() / ours[size]!.AnalyzerMs));
            var own = string.Join(", ", withoutPauses.Select(size => $"{Own(size)} at {ours[size]!.Lines:N0} lines"));
            var growthWithout = withoutPauses.Count > 1 && ours[withoutPauses[0]] is { } s0 && ours[withoutPauses[^1]] is { } s1
                ? $"; growth {(s1.AnalyzerMs - s1.PausedMsPerRun()) / (s0.AnalyzerMs - s0.PausedMsPerRun()) / ((double)s1.Lines / s0.Lines):F2} per line ratio"
                : string.Empty;
            Line(text, $"- Not a target, for reading the ones above: without the collection pauses estimated inside the callbacks, {own}{growthWithout}.");
        }

        foreach (var k in keystrokes.Where(k => k.Tool == Tool.Hipaa && k.Edits > 0).OrderBy(k => k.Lines))
        {
            var median = Measurements.Median(k.AnalyzerMs);
            Line(text, $"- Keystroke at {k.Lines:N0} lines: {Ms(median, 1)} in HipaaAnalyzers (target < 5 ms): {Verdict(median < 5)}.");
        }

        var ourKeystrokes = keystrokes.Where(k => k.Tool == Tool.Hipaa && k.Edits > 0).OrderBy(k => k.Lines).ToList();
        if (ourKeystrokes.Count > 1)
        {
            var a = Measurements.Median(ourKeystrokes[0].AnalyzerMs);
            var b = Measurements.Median(ourKeystrokes[^1].AnalyzerMs);
            Line(text, $"- Keystroke: {Ms(a, 1)} in HipaaAnalyzers at {ourKeystrokes[0].Lines:N0} lines, {Ms(b, 1)} at {ourKeystrokes[^1].Lines:N0} " +
                       $"(×{(double)ourKeystrokes[^1].Lines / ourKeystrokes[0].Lines:F0} the code): the cost of an edit does not follow the size of the solution.");
        }

        return text.ToString();
    }

    /// <summary>Growth of the analyzer time divided by the growth of the code, from the smallest to the largest corpus.</summary>
    private const double MaxGrowthPerLineRatio = 1.15;

    /// <summary>
    /// A tool's share of compile time: from the compile runs paired with its analysis runs in the same process (the
    /// median of the per-run ratios), which machine-state drift between processes does not move; otherwise its median
    /// analyzer time over the compiler-only process's compile time.
    /// </summary>
    private static double Share(RunResult run, RunResult? compile)
    {
        var paired = run.PairedShare();
        if (!double.IsNaN(paired))
        {
            return paired;
        }

        return compile is null ? double.NaN : run.AnalyzerMs / (compile.ParseMs + compile.CompileMs);
    }

    /// <summary>
    /// The smallest and largest of a tool's paired-run shares, put into <paramref name="format"/>; empty when the tool has
    /// fewer than two paired runs. The median decides the verdict, the range says how much one run on this machine can
    /// move it (a collection pause of the compiler's thread that falls inside an analyzer callback counts to the callback).
    /// </summary>
    private static string ShareRange(RunResult run, string format)
    {
        var shares = run.PairedShares();
        return shares.Count < 2
            ? string.Empty
            : string.Format(CultureInfo.InvariantCulture, format, Percent(shares.Min()) + "–" + Percent(shares.Max()));
    }

    /// <summary>A rule below this share of compile time at the largest size is not judged on its growth.</summary>
    private const double NegligibleShare = 0.005;

    private static string Rate(int characters, double ms) =>
        ms > 0 ? (characters * 1000 / ms).ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');

    private static string Ms(double ms, int decimals = 0) =>
        double.IsNaN(ms) ? "-" : ms.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " ms";

    private static string Runs(IEnumerable<double> runs) =>
        string.Join(", ", runs.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)));

    private static string Percent(double fraction) =>
        double.IsNaN(fraction) ? "-" : (fraction * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string Mb(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) + " MB" : "-";

    private static string Verdict(bool met) => met ? "met" : "**missed**";

    private static string Cpu()
    {
        try
        {
            var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return model is null ? RuntimeInformation.ProcessArchitecture.ToString() : model.Substring(model.IndexOf(':') + 1).Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string Memory() =>
        (GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1073741824.0).ToString("F0", CultureInfo.InvariantCulture) + " GB";
}
