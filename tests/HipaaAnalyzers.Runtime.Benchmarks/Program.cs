using System;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HipaaAnalyzers.Runtime.Benchmarks;

/// <summary>
/// Runs the field encryption benchmarks and prints the overhead ratio of FieldEncryptor over raw AesGcm
/// per size and operation.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>
/// No arguments: every benchmark with a short job (1 launch, 3 warm-up and 15 measured iterations, in
/// process; about three minutes), the ratio table, then the interleaved cross-check.
/// </description></item>
/// <item><description><c>--interleaved</c>: the interleaved cross-check only (a few seconds).</description></item>
/// <item><description>
/// <c>--audit [producers ...]</c>: the audit file sink (durable group commit) with 1, 16, 64 and 256 concurrent
/// producers (or the counts given), plus the OS-buffered flush mode at 64; events/s and p50/p99 latency (about twenty
/// seconds). Figures: docs/runtime/audit.md, section "Performance".
/// </description></item>
/// <item><description>
/// <c>--kafka [producers ...]</c>: the Kafka audit sink against librdkafka's in-process mock cluster (not a real
/// broker) with 1, 16, 64 and 256 producers. Figures: docs/runtime/audit.md.
/// </description></item>
/// <item><description>
/// <c>--hsm</c>: the PKCS#11 master key on SoftHSM2: start-up with a 100-key ring, wrap/unwrap rates, field encryption
/// with an HSM-unwrapped ring. Figures: docs/runtime/key-management.md.
/// </description></item>
/// <item><description>
/// Anything else goes to BenchmarkDotNet, for example <c>--filter *Encrypt* --inProcess</c> or
/// <c>--inProcess --job medium</c> (keep <c>--inProcess</c>: the default toolchain builds a generated project
/// next to the sources).
/// </description></item>
/// </list>
/// </remarks>
public static class Program
{
    /// <summary>The target: at most this ratio to raw AesGcm at 1 KB.</summary>
    public const double TargetRatioAt1KB = 1.15;

    /// <summary>Runs the benchmarks.</summary>
    /// <param name="args">See the remarks of <see cref="Program"/>.</param>
    /// <returns>0.</returns>
    public static int Main(string[] args)
    {
        if (args is ["--audit", ..])
        {
            return AuditSinkBenchmark.Run(args[1..]);
        }

        if (args is ["--kafka", ..])
        {
            return KafkaSinkBenchmark.Run(args[1..]);
        }

        if (args is ["--hsm"])
        {
            return HsmBenchmark.Run();
        }

        if (args is ["--interleaved"])
        {
            PrintVerdict("interleaved", InterleavedOverhead.Run());
            return 0;
        }

        IConfig config = DefaultConfig.Instance
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"))
            .WithOptions(ConfigOptions.JoinSummary);
        if (args.Length == 0)
        {
            config = config.AddJob(Job.Default
                .WithId("Short")
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(15));
        }

        Summary[] summaries = args.Length == 0
            ? new[] { BenchmarkRunner.Run<FieldEncryptionBenchmarks>(config) }
            : BenchmarkSwitcher.FromTypes(new[] { typeof(FieldEncryptionBenchmarks) }).Run(args, config).ToArray();
        PrintRatios(summaries);

        if (args.Length == 0)
        {
            PrintVerdict("interleaved", InterleavedOverhead.Run());
        }

        return 0;
    }

    private static void PrintRatios(Summary[] summaries)
    {
        var means = summaries
            .SelectMany(s => s.Reports)
            .Where(r => r.ResultStatistics is not null)
            .Select(r => (
                Method: r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
                Size: (int)r.BenchmarkCase.Parameters["Size"],
                Median: r.ResultStatistics!.Median))
            .ToList();

        Console.WriteLine();
        // Medians, not means: on a shared machine a burst of other work inflates a few iterations of one
        // benchmark, which moves its mean far more than its median.
        Console.WriteLine("Overhead of FieldEncryptor over raw AesGcm (same key, random nonce, same associated data), BenchmarkDotNet medians:");
        Console.WriteLine("  size     operation   raw AesGcm (ns)   FieldEncryptor (ns)   ratio");
        var ratios = new System.Collections.Generic.Dictionary<(int Size, string Operation), double>();
        foreach (int size in means.Select(m => m.Size).Distinct().OrderBy(s => s))
        {
            foreach (string operation in new[] { "Encrypt", "Decrypt" })
            {
                double? raw = means.Where(m => m.Size == size && m.Method == "RawAesGcm_" + operation).Select(m => (double?)m.Median).FirstOrDefault();
                double? field = means.Where(m => m.Size == size && m.Method == "FieldEncryptor_" + operation).Select(m => (double?)m.Median).FirstOrDefault();
                if (raw is null || field is null)
                {
                    continue;
                }

                double ratio = field.Value / raw.Value;
                ratios[(size, operation)] = ratio;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {FormatSize(size),-8} {operation,-11} {raw.Value,15:N1}   {field.Value,19:N1}   {ratio,5:N3}x"));
            }
        }

        PrintVerdict("BenchmarkDotNet", ratios);
    }

    private static void PrintVerdict(string source, System.Collections.Generic.IReadOnlyDictionary<(int Size, string Operation), double> ratios)
    {
        foreach (string operation in new[] { "Encrypt", "Decrypt" })
        {
            if (ratios.TryGetValue((1024, operation), out double ratio))
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  1 KB {operation.ToLowerInvariant()} ({source}): {ratio:N3}x, target <= {TargetRatioAt1KB:N2}x: {(ratio <= TargetRatioAt1KB ? "met" : "NOT met")}"));
            }
        }
    }

    private static string FormatSize(int size) => size >= 1024 ? (size / 1024).ToString(CultureInfo.InvariantCulture) + " KB" : size.ToString(CultureInfo.InvariantCulture) + " B";
}
