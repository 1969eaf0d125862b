using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace HipaaAnalyzers.Tests.Fuzzing;

/// <summary>
/// Mutates valid code (the sample apps, the rule tests' code, a generated app) into broken and unusual code and runs
/// every analyzer and every code fix over it: nothing may throw. A failure prints the seed, the variant and the
/// smallest input that still fails the same way.
/// </summary>
/// <remarks>
/// The normal run tries a fixed seed and <see cref="DefaultIterations"/> variants, and stops early (saying so) if the
/// machine is so slow that they would take more than <see cref="DefaultBudget"/>. For a soak run, set
/// HIPAA_FUZZ_ITERATIONS (for example 20000; no time limit then) and HIPAA_FUZZ_SEED (any integer; a failure report
/// names the seed and the variant that reproduce it). HIPAA_FUZZ_VARIANT runs that one variant of the seed and prints
/// its minimised input, even when only the compiler failed.
/// </remarks>
public sealed class AnalyzerFuzzTests
{
    public const int DefaultIterations = 200;
    public const int DefaultSeed = 20251124;

    /// <summary>The normal run's time limit, which keeps the suite inside its CI budget on a slow or busy machine.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(45);

    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;

    public AnalyzerFuzzTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Analyzers_and_code_fixes_never_throw_on_mutated_code()
    {
        var soak = Environment.GetEnvironmentVariable("HIPAA_FUZZ_ITERATIONS") is { Length: > 0 };
        var iterations = FromEnvironment("HIPAA_FUZZ_ITERATIONS", DefaultIterations);
        var seed = FromEnvironment("HIPAA_FUZZ_SEED", DefaultSeed);
        var only = FromEnvironment("HIPAA_FUZZ_VARIANT", -1);
        var samples = FuzzSeeds.Samples();
        var ruleTests = FuzzSeeds.RuleTests();
        var corpus = FuzzSeeds.Corpus();
        Assert.NotEmpty(ruleTests);

        using var harness = await FuzzHarness.CreateAsync(samples.Append(corpus));
        var watch = Stopwatch.StartNew();
        var failures = new List<(int Iteration, FuzzCase Case, FuzzFailure Failure)>();
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        var ran = 0;
        var iteration = only >= 0 ? only : 0;
        for (; iteration < (only >= 0 ? only + 1 : iterations) && failures.Count < 5; iteration++)
        {
            if (!soak && watch.Elapsed > DefaultBudget)
            {
                _output.WriteLine($"Stopped at the {DefaultBudget.TotalSeconds:F0} s limit after {ran} of {iterations} variants.");
                break;
            }

            ran++;
            var fuzzCase = FuzzCase.Create(samples, ruleTests, corpus, seed, iteration);
            var failure = await harness.CheckAsync(fuzzCase, CaseTimeout);
            if (failure is { IsCompilerFault: true } && only < 0)
            {
                // The compiler's own bug on odd input: nothing the analyzers can do, but worth knowing.
                harness.Statistics.CompilerFaults++;
                harness.Statistics.FirstCompilerFault ??= $"variant {iteration}: {fuzzCase.Describe()}\n{failure}";
            }
            else if (failure is not null && signatures.Add(failure.Signature))
            {
                failures.Add((iteration, fuzzCase, failure));
            }
        }

        var statistics = harness.Statistics;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}: {ran} variants of {samples.Count + ruleTests.Count + 1} seeds in {watch.Elapsed.TotalSeconds:F1} s; " +
            $"{statistics.Diagnostics} rule diagnostics, {statistics.CodeActionsApplied} code actions and {statistics.FixAllsApplied} Fix Alls applied; " +
            $"{statistics.Analysis.Elapsed.TotalSeconds:F1} s compiling and analyzing, {statistics.Fixes.Elapsed.TotalSeconds:F1} s in code fixes"));

        if (statistics.FirstCompilerFault is { } compilerFault)
        {
            _output.WriteLine($"{statistics.CompilerFaults} variants crashed the compiler itself (not an analyzer); the first:\n{compilerFault}");
        }

        if (failures.Count > 0)
        {
            var report = new StringBuilder();
            foreach (var (failedIteration, fuzzCase, failure) in failures)
            {
                var minimized = failure.Stage == "timeout"
                    ? fuzzCase.Text
                    : await DeltaDebugger.MinimizeAsync(fuzzCase.Text, async text =>
                        (await harness.CheckAsync(fuzzCase with { Text = text }, CaseTimeout, countStatistics: false))?.Signature == failure.Signature);
                report.Append(CultureInfo.InvariantCulture, $"Seed {seed}, variant {failedIteration} (HIPAA_FUZZ_SEED={seed}): {fuzzCase.Describe()}\n");
                report.Append(failure).Append('\n');
                report.Append("Minimised input (").Append(fuzzCase.FilePath).Append("):\n----\n").Append(minimized).Append("\n----\n\n");
            }

            Assert.Fail(report.ToString());
        }

        // A harness that stops reaching the rules would pass for the wrong reason.
        if (only >= 0)
        {
            return;
        }

        Assert.True(statistics.Diagnostics > 0, "No variant produced a rule diagnostic.");
        Assert.True(statistics.CodeActionsApplied > 0, "No code action was applied.");
        Assert.True(statistics.FixAllsApplied > 0, "No Fix All was applied.");
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
