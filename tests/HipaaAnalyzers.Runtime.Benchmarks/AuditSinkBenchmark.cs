using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;

namespace HipaaAnalyzers.Runtime.Benchmarks;

/// <summary>
/// Throughput and latency of <see cref="FileAuditSink"/>: N concurrent producers call <c>AppendAsync</c> in a loop for a
/// fixed time; prints events/s, p50/p99/max latency of each call and the mean batch size (events per fsync), then
/// verifies the log that was written. A stopwatch benchmark rather than BenchmarkDotNet: the quantity of interest is
/// the behaviour of a shared writer under concurrency, not the cost of one call in isolation.
/// </summary>
internal static class AuditSinkBenchmark
{
    /// <summary>The target: at least this many events per second with durable group commit (fsync per batch).</summary>
    public const double TargetEventsPerSecond = 20_000;

    public static int Run(string[] args)
    {
        int[] producers = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 1, 16, 64, 256 };
        TimeSpan duration = TimeSpan.FromSeconds(3);
        string directory = Path.Combine(Path.GetTempPath(), "hipaa-audit-benchmark-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        using AuditSigningKey key = AuditSigningKey.Generate("audit-bench");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FileAuditSink, {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log directory {directory}; checkpoint every 1000 records (ECDSA P-256); {duration.TotalSeconds:N0} s per row after a 1 s warm-up"));
        Console.WriteLine();
        Console.WriteLine("  flush mode        producers     events/s   p50 (ms)   p99 (ms)   max (ms)   events/batch   verify (events/s)");
        try
        {
            var results = new List<(AuditFlushMode Mode, int Producers, double Rate)>();
            foreach ((AuditFlushMode mode, int count) in producers.Select(p => (AuditFlushMode.Durable, p)).Append((AuditFlushMode.OperatingSystem, 64)))
            {
                double rate = RunOne(Path.Combine(directory, mode + "-" + count.ToString(CultureInfo.InvariantCulture) + ".jsonl"), key, mode, count, duration).GetAwaiter().GetResult();
                results.Add((mode, count, rate));
            }

            double best = results.Where(r => r.Mode == AuditFlushMode.Durable).Max(r => r.Rate);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Durable group commit, best row: {best:N0} events/s, target >= {TargetEventsPerSecond:N0}: {(best >= TargetEventsPerSecond ? "met" : "NOT met")}"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<double> RunOne(string path, AuditSigningKey key, AuditFlushMode mode, int producers, TimeSpan duration)
    {
        long events;
        long batches;
        double seconds;
        AuditLoad load;
        await using (var sink = new FileAuditSink(new FileAuditSinkOptions { Path = path, SigningKey = key, FlushMode = mode }))
        {
            load = new AuditLoad(producers, 1 << 16, auditEvent => sink.AppendAsync(auditEvent));
            await Task.Delay(1000).ConfigureAwait(false);
            long startBatches = sink.BatchesWritten;
            var clock = Stopwatch.StartNew();
            load.Measuring = true;
            await Task.Delay(duration).ConfigureAwait(false);
            load.Measuring = false;
            seconds = clock.Elapsed.TotalSeconds;
            events = load.Events;
            batches = sink.BatchesWritten - startBatches;
            await load.StopAsync().ConfigureAwait(false);
        }

        var Ms = load.Quantiles();
        double rate = events / seconds;

        var verify = Stopwatch.StartNew();
        AuditVerificationResult result = AuditChainVerifier.VerifyFile(path, new AuditVerificationOptions { VerificationKeys = new[] { key.PublicKey } });
        verify.Stop();
        if (!result.IsValid)
        {
            throw new InvalidOperationException("The benchmark log does not verify: " + result);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {mode,-16} {producers,10} {rate,12:N0} {Ms(0.50),10:N2} {Ms(0.99),10:N2} {Ms(1.0 - double.Epsilon),10:N2} {events / (double)Math.Max(1, batches),14:N1} {result.EventCount / verify.Elapsed.TotalSeconds,19:N0}"));
        return rate;
    }
}
