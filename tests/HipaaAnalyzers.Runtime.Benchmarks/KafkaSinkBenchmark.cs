using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.Kafka;
using HipaaAnalyzers.Runtime.Kafka.Tests;

namespace HipaaAnalyzers.Runtime.Benchmarks;

/// <summary>
/// The Kafka audit sink against librdkafka's in-process mock cluster (3 brokers on 127.0.0.1, replication factor 3):
/// N producers call <c>AppendAsync</c> in a loop for a fixed time; events/s and latency, then the partition is verified.
/// The mock cluster keeps records in memory and simulates replication, so these figures measure the sink and the client,
/// not a Kafka deployment's disks and network.
/// </summary>
internal static class KafkaSinkBenchmark
{
    public static int Run(string[] args)
    {
        int[] producers = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 1, 16, 64, 256 };
        TimeSpan duration = TimeSpan.FromSeconds(3);
        using AuditSigningKey key = AuditSigningKey.Generate("kafka-bench");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"KafkaAuditSink on librdkafka's MOCK cluster (in-process, not a real broker), Confluent.Kafka {Confluent.Kafka.Library.VersionString}, {Environment.ProcessorCount} logical cores"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acks=all, idempotent, checkpoint every 1000 records (ECDSA P-256); {duration.TotalSeconds:N0} s per row after a 1 s warm-up"));
        Console.WriteLine();
        Console.WriteLine("  producers     events/s   p50 (ms)   p99 (ms)   max (ms)   verify (events/s)");
        foreach (int count in producers)
        {
            using var cluster = new MockKafkaCluster();
            cluster.CreateTopic("audit-bench");
            RunOne(cluster, key, count, duration).GetAwaiter().GetResult();
        }

        return 0;
    }

    private static async Task RunOne(MockKafkaCluster cluster, AuditSigningKey key, int producers, TimeSpan duration)
    {
        double seconds;
        AuditLoad load;
        await using (var sink = new KafkaAuditSink(new KafkaAuditSinkOptions { BootstrapServers = cluster.BootstrapServers, Topic = "audit-bench", SigningKey = key }))
        {
            await sink.OpenAsync().ConfigureAwait(false);
            load = new AuditLoad(producers, 1 << 14, auditEvent => sink.AppendAsync(auditEvent));
            await Task.Delay(1000).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            load.Measuring = true;
            await Task.Delay(duration).ConfigureAwait(false);
            load.Measuring = false;
            seconds = clock.Elapsed.TotalSeconds;
            await load.StopAsync().ConfigureAwait(false);
        }

        long events = load.Events;
        var Ms = load.Quantiles();
        var verify = Stopwatch.StartNew();
        KafkaAuditVerificationResult result = KafkaAuditChainVerifier.Verify(
            new KafkaAuditVerifierOptions { BootstrapServers = cluster.BootstrapServers, Topic = "audit-bench", StartAtFirstRetainedRecord = true },
            new AuditVerificationOptions { VerificationKeys = new[] { key.PublicKey } });
        verify.Stop();
        if (!result.IsValid)
        {
            throw new InvalidOperationException("The benchmark partition does not verify: " + result);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {producers,9} {events / seconds,12:N0} {Ms(0.50),10:N2} {Ms(0.99),10:N2} {Ms(1.0 - double.Epsilon),10:N2} {result.Result.EventCount / verify.Elapsed.TotalSeconds,19:N0}{(result.FirstOffset > 0 ? "   (the mock kept offsets " + result.FirstOffset.ToString(CultureInfo.InvariantCulture) + " on)" : string.Empty)}"));
    }
}
