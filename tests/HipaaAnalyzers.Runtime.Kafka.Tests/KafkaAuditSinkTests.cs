using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Confluent.Kafka;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace HipaaAnalyzers.Runtime.Kafka.Tests;

/// <summary>
/// The Kafka audit sink against librdkafka's in-process mock cluster (see <see cref="MockKafkaCluster"/>), not a real
/// broker: every test creates its own cluster listening on 127.0.0.1, and no test connects anywhere else.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class KafkaAuditSinkTests : IDisposable
{
    private const string KeyId = "kafka-audit-test";
    private readonly MockKafkaCluster _cluster = new();
    private readonly ECDsa _ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly AuditSigningKey _key;

    public KafkaAuditSinkTests()
    {
        _key = AuditSigningKey.Create(_ecdsa, KeyId);
    }

    public void Dispose()
    {
        _key.Dispose();
        _ecdsa.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public void The_mock_cluster_listens_on_loopback_only()
    {
        Assert.All(_cluster.BootstrapServers.Split(','), server => Assert.StartsWith("127.0.0.1:", server, StringComparison.Ordinal));
        Assert.Equal(3, _cluster.BootstrapServers.Split(',').Length);
    }

    [Fact]
    public async Task Every_acknowledged_event_is_in_the_topic_and_the_chain_verifies()
    {
        _cluster.CreateTopic("audit");
        var acknowledged = new ConcurrentBag<(string Resource, long Seq)>();
        await using (var sink = new KafkaAuditSink(Options("audit", o => o.CheckpointEveryRecords = 50)))
        {
            Assert.Equal(0, await sink.OpenAsync());
            await Task.WhenAll(Enumerable.Range(0, 16).Select(p => Task.Run(async () =>
            {
                for (int i = 0; i < 25; i++)
                {
                    string resource = "/api/patients/" + p + "/" + i;
                    acknowledged.Add((resource, await sink.AppendAsync(Event(resource))));
                }
            })));
        }

        KafkaAuditVerificationResult result = Verify("audit");
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(400, result.Result.EventCount);
        Assert.True(result.Result.CheckpointCount >= 8, result.ToString());
        Assert.Equal(0, result.Result.RecordsAfterLastCheckpoint);   // the closing checkpoint
        List<AuditRecord> records = ReadRecords("audit");
        var stored = records.Where(r => r.Event is not null).ToDictionary(r => r.Event!.Resource, r => r.Seq);
        Assert.All(acknowledged, a => Assert.Equal(a.Seq, stored[a.Resource]));

        // Any consumer can check the same values with the verifier of the file sink.
        AuditVerificationResult plain = AuditChainVerifier.Verify(records.Select(r => r.Line), new AuditVerificationOptions { VerificationKeys = [_key.PublicKey] });
        Assert.True(plain.IsValid, plain.ToString());
    }

    [Fact]
    public async Task A_leader_down_for_a_moment_is_retried_and_every_event_persists()
    {
        _cluster.CreateTopic("audit");
        await using var sink = new KafkaAuditSink(Options("audit", o => o.DeliveryTimeout = TimeSpan.FromSeconds(30)));
        await sink.OpenAsync();
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        Task writers = Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < 60; i++)
            {
                string resource = "/blip/" + p + "/" + i;
                await sink.WriteAsync(Event(resource));
                acknowledged.Add(resource);
                await Task.Delay(10);
            }
        })));

        await Task.Delay(150);
        _cluster.BrokerDown(1);   // the partition's leader
        await Task.Delay(1500);
        _cluster.BrokerUp(1);
        await writers;            // no failure: librdkafka retried until the leader was back
        await sink.DisposeAsync();

        KafkaAuditVerificationResult result = Verify("audit");
        Assert.True(result.IsValid, result.ToString());
        HashSet<string> stored = StoredResources("audit");
        Assert.All(acknowledged, resource => Assert.Contains(resource, stored));
        Assert.Equal(240, acknowledged.Count);
    }

    [Fact]
    public async Task A_leader_down_longer_than_the_delivery_timeout_fails_writes_and_never_acknowledges_a_lost_record()
    {
        _cluster.CreateTopic("audit");
        await using var sink = new KafkaAuditSink(Options("audit", o => o.DeliveryTimeout = TimeSpan.FromSeconds(2)));
        await sink.OpenAsync();
        var acknowledged = new ConcurrentBag<string>();
        var failed = new ConcurrentBag<AuditWriteException>();
        using var outage = new CancellationTokenSource();
        Task writers = Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (int i = 0; i < 40; i++)
            {
                string resource = "/outage/" + p + "/" + i;
                try
                {
                    await sink.WriteAsync(Event(resource));
                    acknowledged.Add(resource);
                }
                catch (AuditWriteException exception)
                {
                    failed.Add(exception);
                }

                await Task.Delay(25);
            }
        })));

        await Task.Delay(200);
        _cluster.BrokerDown(1);
        await Task.Delay(4000);
        _cluster.BrokerUp(1);
        await writers;
        await sink.DisposeAsync();

        Assert.NotEmpty(failed);
        Assert.All(failed, e => Assert.Contains("partition 0", e.Message, StringComparison.Ordinal));
        Assert.All(failed, e => Assert.DoesNotContain("/outage/", e.ToString(), StringComparison.Ordinal));   // no event content
        Assert.Contains(failed, e => e.Message.Contains("delivery timeout of 2 s", StringComparison.Ordinal) || e.Message.Contains("within", StringComparison.Ordinal));

        // Writes after the outage succeed again: the sink read the partition's end and continued the chain from it.
        Assert.Contains(acknowledged, r => r.EndsWith("/39", StringComparison.Ordinal));
        KafkaAuditVerificationResult result = Verify("audit");
        Assert.True(result.IsValid, result.ToString());
        HashSet<string> stored = StoredResources("audit");
        Assert.All(acknowledged, resource => Assert.Contains(resource, stored));
    }

    [Fact]
    public async Task A_writer_process_killed_mid_stream_is_resumed_from_the_topic()
    {
        _cluster.CreateTopic("audit", partitions: 2);
        string pem = Path.Combine(Path.GetTempPath(), "kafka-audit-key-" + Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(pem, _ecdsa.ExportPkcs8PrivateKeyPem());
        var acknowledged = new List<string>();
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "HipaaAnalyzers.KafkaAuditCrashWriter.dll"), _cluster.BootstrapServers, "audit", "1", pem, KeyId })
            {
                start.ArgumentList.Add(argument);
            }

            using Process writer = Process.Start(start)!;
            var stopwatch = Stopwatch.StartNew();
            while (acknowledged.Count < 120 && stopwatch.Elapsed < TimeSpan.FromSeconds(90))
            {
                string? line = await writer.StandardOutput.ReadLineAsync();
                if (line is null)
                {
                    break;
                }

                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    acknowledged.Add(line[4..]);
                }
            }

            writer.Kill(entireProcessTree: true);   // SIGKILL: no closing checkpoint, records possibly in flight
            await writer.WaitForExitAsync();
            Assert.True(acknowledged.Count >= 120, "the writer acknowledged " + acknowledged.Count + " events; stderr: " + await writer.StandardError.ReadToEndAsync());
        }
        finally
        {
            File.Delete(pem);
        }

        AuditRecord lastBefore = ReadRecords("audit", 1).Last();
        await using (var sink = new KafkaAuditSink(Options("audit", o => o.Partition = 1)))
        {
            // A checkpoint over what the killed writer left, unless the kill came right after one of its own checkpoints.
            long expected = lastBefore.Kind == AuditRecordKind.Checkpoint ? lastBefore.Seq : lastBefore.Seq + 1;
            Assert.Equal(expected, await sink.OpenAsync());
            for (int i = 0; i < 20; i++)
            {
                await sink.WriteAsync(Event("/resumed/" + i));
                acknowledged.Add("/resumed/" + i);
            }
        }

        KafkaAuditVerificationResult result = Verify("audit", partition: 1);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(0, result.Result.RecordsAfterLastCheckpoint);
        HashSet<string> stored = StoredResources("audit", 1);
        Assert.All(acknowledged, resource => Assert.Contains(resource, stored));
        Assert.Equal(0, Verify("audit", partition: 0).Result.RecordCount);   // the other partition's chain is untouched
    }

    [Fact]
    public async Task A_record_produced_by_someone_else_is_reported_and_not_chained_onto()
    {
        _cluster.CreateTopic("audit");
        await using (var sink = new KafkaAuditSink(Options("audit", o => o.CheckpointOnClose = false)))
        {
            for (int i = 0; i < 10; i++)
            {
                await sink.WriteAsync(Event("/ok/" + i));
            }

            using (IProducer<Null, string> intruder = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers }).Build())
            {
                await intruder.ProduceAsync(new TopicPartition("audit", 0), new Message<Null, string> { Value = "{\"seq\":11,\"note\":\"not from the audit writer\"}" });
            }

            // The running sink still chains onto its own last record; the foreign message sits between them.
            await sink.WriteAsync(Event("/after/0"));
        }

        KafkaAuditVerificationResult result = Verify("audit");
        Assert.False(result.IsValid);
        Assert.Equal(AuditVerificationFailureKind.Malformed, result.Result.Failure!.Kind);
        Assert.Equal(10, result.FailedOffset);
        Assert.Equal(11, result.Result.Failure.Seq);
        Assert.Contains("offset 10", result.ToString(), StringComparison.Ordinal);

        // A well-formed record of another chain is caught as well.
        _cluster.CreateTopic("audit-2");
        await using (var sink = new KafkaAuditSink(Options("audit-2", o => o.CheckpointOnClose = false)))
        {
            for (int i = 0; i < 5; i++)
            {
                await sink.WriteAsync(Event("/ok/" + i));
            }
        }

        var otherChain = new AuditChainWriter(5, new string('a', 64));
        await ProduceRaw("audit-2", otherChain.AppendEvent(Event("/forged")).Line);
        KafkaAuditVerificationResult forged = Verify("audit-2");
        Assert.False(forged.IsValid);

        // Its prev does not match record 5: either record 5 was changed and re-hashed or record 6 is not its successor.
        // The verifier names the pair, starting from the earlier record (offset 4).
        Assert.Equal(AuditVerificationFailureKind.Edited, forged.Result.Failure!.Kind);
        Assert.Equal(4, forged.FailedOffset);
        Assert.Contains("record 6", forged.Result.Failure.Message, StringComparison.Ordinal);

        // A sink that opens on a partition ending with a foreign message refuses to continue it.
        await ProduceRaw("audit-2", "garbage");
        await using var reopened = new KafkaAuditSink(Options("audit-2"));
        AuditWriteException refused = await Assert.ThrowsAsync<AuditWriteException>(async () => await reopened.OpenAsync());
        Assert.Contains("not a valid audit record (offset 6)", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AuditWriteException>(async () => await reopened.WriteAsync(Event("/refused")));
        Assert.DoesNotContain("/refused", StoredResources("audit-2"));
    }

    [Fact]
    public async Task A_missing_edited_or_reordered_record_is_reported_with_its_offset()
    {
        var chain = new AuditChainWriter();
        List<string> lines = Enumerable.Range(0, 6).Select(i => chain.AppendEvent(Event("/r/" + i)).Line).ToList();

        _cluster.CreateTopic("missing");
        foreach (string line in lines.Where((_, i) => i != 3))
        {
            await ProduceRaw("missing", line);
        }

        KafkaAuditVerificationResult missing = Verify("missing");
        Assert.Equal(AuditVerificationFailureKind.Deleted, missing.Result.Failure!.Kind);
        Assert.Equal(4, missing.Result.Failure.Seq);
        Assert.Equal(3, missing.FailedOffset);

        _cluster.CreateTopic("edited");
        foreach (string line in lines.Select((l, i) => i == 2 ? l.Replace("/r/2", "/r/X", StringComparison.Ordinal) : l))
        {
            await ProduceRaw("edited", line);
        }

        KafkaAuditVerificationResult edited = Verify("edited");
        Assert.Equal(AuditVerificationFailureKind.Edited, edited.Result.Failure!.Kind);
        Assert.Equal(2, edited.FailedOffset);

        _cluster.CreateTopic("reordered");
        foreach (int i in new[] { 0, 1, 3, 2, 4, 5 })
        {
            await ProduceRaw("reordered", lines[i]);
        }

        KafkaAuditVerificationResult reordered = Verify("reordered");
        Assert.Equal(AuditVerificationFailureKind.Reordered, reordered.Result.Failure!.Kind);
        Assert.Equal(2, reordered.FailedOffset);
    }

    [Fact]
    public async Task A_broker_that_never_answers_gives_a_clear_error_within_the_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new ConcurrentBag<Socket>();
        using var stop = new CancellationTokenSource();
        Task accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await silent.AcceptSocketAsync(stop.Token));   // accept, never answer
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        string address = "127.0.0.1:" + ((IPEndPoint)silent.LocalEndpoint).Port;
        try
        {
            await using var sink = new KafkaAuditSink(new KafkaAuditSinkOptions
            {
                BootstrapServers = address,
                Topic = "audit",
                SigningKey = _key,
                OperationTimeout = TimeSpan.FromSeconds(2),
                DeliveryTimeout = TimeSpan.FromSeconds(2),
            });
            var stopwatch = Stopwatch.StartNew();
            AuditWriteException error = await Assert.ThrowsAsync<AuditWriteException>(async () => await sink.WriteAsync(Event("/api/patients/1")));
            stopwatch.Stop();

            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), "took " + stopwatch.Elapsed);
            Assert.Contains("within 2 s", error.Message, StringComparison.Ordinal);
            Assert.Contains(address, error.Message, StringComparison.Ordinal);
            Assert.Contains("no event was written", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("/api/patients/1", error.ToString(), StringComparison.Ordinal);
            Assert.NotEmpty(accepted);   // the client did reach the silent broker
        }
        finally
        {
            stop.Cancel();
            silent.Stop();
            await accepting;
            foreach (Socket socket in accepted)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task Registered_with_dependency_injection_it_is_the_audit_sink()
    {
        _cluster.CreateTopic("audit");
        var services = new ServiceCollection();
        services.AddSingleton(_key);
        services.AddHipaaKafkaAudit(_cluster.BootstrapServers, "audit", o => o.CheckpointEveryRecords = 3);
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            IAuditSink sink = provider.GetRequiredService<IAuditSink>();
            Assert.IsType<KafkaAuditSink>(sink);
            for (int i = 0; i < 7; i++)
            {
                await sink.WriteAsync(Event("/di/" + i));
            }
        }

        KafkaAuditVerificationResult result = Verify("audit");
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(7, result.Result.EventCount);
        Assert.Equal(3, result.Result.CheckpointCount);   // after 3 and 6 events, and on close
    }

    [Fact]
    public void Durability_settings_cannot_be_overridden()
    {
        var options = Options("audit");
        options.ClientSettings["acks"] = "1";
        Assert.Contains("'acks'", Assert.Throws<ArgumentException>(() => new KafkaAuditSink(options)).Message, StringComparison.Ordinal);
        ProducerConfig config = KafkaAuditSink.ProducerConfig(Options("audit"));
        Assert.True(config.EnableIdempotence);
        Assert.Equal(Acks.All, config.Acks);
        Assert.True(config.EnableGaplessGuarantee);
    }

    private static AuditEvent Event(string resource) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        User = "dr.smith",
        Action = AuditAction.Viewed,
        Resource = resource,
        Context = new AuditContext("10.0.0.5", "tablet-7"),
    };

    private KafkaAuditSinkOptions Options(string topic, Action<KafkaAuditSinkOptions>? configure = null)
    {
        var options = new KafkaAuditSinkOptions
        {
            BootstrapServers = _cluster.BootstrapServers,
            Topic = topic,
            SigningKey = _key,
            CheckpointEveryRecords = 100,
            DeliveryTimeout = TimeSpan.FromSeconds(20),
        };
        configure?.Invoke(options);
        return options;
    }

    private KafkaAuditVerificationResult Verify(string topic, int partition = 0) => KafkaAuditChainVerifier.Verify(
        new KafkaAuditVerifierOptions { BootstrapServers = _cluster.BootstrapServers, Topic = topic, Partition = partition },
        new AuditVerificationOptions { VerificationKeys = [_key.PublicKey] });

    private List<AuditRecord> ReadRecords(string topic, int partition = 0)
    {
        var records = new List<AuditRecord>();
        using IConsumer<Ignore, byte[]> consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
        }).Build();
        var tp = new TopicPartition(topic, partition);
        long high = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
        consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
        long next = 0;
        while (next < high)
        {
            ConsumeResult<Ignore, byte[]> result = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no message");
            next = result.Offset.Value + 1;
            if (AuditRecord.TryParse(result.Message.Value, out AuditRecord? record, out _))
            {
                records.Add(record);
            }
        }

        return records;
    }

    private HashSet<string> StoredResources(string topic, int partition = 0) =>
        ReadRecords(topic, partition).Where(r => r.Event is not null).Select(r => r.Event!.Resource).ToHashSet(StringComparer.Ordinal);

    private async Task ProduceRaw(string topic, string value)
    {
        using IProducer<Null, byte[]> producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = _cluster.BootstrapServers, Acks = Acks.All }).Build();
        DeliveryResult<Null, byte[]> result = await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<Null, byte[]> { Value = Encoding.UTF8.GetBytes(value) });
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
    }
}

[CollectionDefinition(Name)]
public sealed class KafkaCollection
{
    public const string Name = "Kafka mock cluster";
}
