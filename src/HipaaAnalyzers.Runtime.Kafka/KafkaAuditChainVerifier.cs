using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Confluent.Kafka;
using HipaaAnalyzers.Runtime.Audit;

namespace HipaaAnalyzers.Runtime.Kafka;

/// <summary>What <see cref="KafkaAuditChainVerifier"/> reads: brokers, topic, partition.</summary>
public sealed class KafkaAuditVerifierOptions
{
    /// <summary>Gets or sets the brokers. Required.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Gets or sets the audit topic. Required.</summary>
    public string? Topic { get; set; }

    /// <summary>Gets or sets the partition to verify (one chain). Default 0.</summary>
    public int Partition { get; set; }

    /// <summary>Gets or sets how long one read may wait for the brokers. Default 10 seconds.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets a value indicating whether a partition whose oldest messages were deleted (retention) is verified
    /// from its first retained record, taking that record's <c>seq</c> and <c>prev</c> as the starting point, when
    /// <see cref="AuditVerificationOptions.PreviousSeq"/> is not given. Default <see langword="false"/>: such a partition
    /// is reported as <see cref="AuditVerificationFailureKind.Deleted"/>. Only the link to the deleted part is taken on
    /// trust; checkpoints after it still vouch for the rest.
    /// </summary>
    public bool StartAtFirstRetainedRecord { get; set; }

    /// <summary>Gets or sets extra librdkafka settings for the reader (security settings, for example).</summary>
    public IDictionary<string, string> ClientSettings { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>The result of verifying one partition: the chain verdict and where in the partition it applies.</summary>
public sealed class KafkaAuditVerificationResult
{
    internal KafkaAuditVerificationResult(string topic, int partition, long firstOffset, long endOffset, AuditVerificationResult result)
    {
        Topic = topic;
        Partition = partition;
        FirstOffset = firstOffset;
        EndOffset = endOffset;
        Result = result;
    }

    /// <summary>Gets the topic.</summary>
    public string Topic { get; }

    /// <summary>Gets the partition.</summary>
    public int Partition { get; }

    /// <summary>Gets the offset of the first message read (the partition's low watermark).</summary>
    public long FirstOffset { get; }

    /// <summary>Gets the partition's end offset when reading started; messages from it on were not read.</summary>
    public long EndOffset { get; }

    /// <summary>Gets the chain verdict; its failure's line number is the message's position from <see cref="FirstOffset"/>, counting from 1.</summary>
    public AuditVerificationResult Result { get; }

    /// <summary>Gets a value indicating whether the chain verifies.</summary>
    public bool IsValid => Result.IsValid;

    /// <summary>Gets the offset of the first broken message (missing, edited, reordered or foreign), or <see langword="null"/> when the chain verifies.</summary>
    public long? FailedOffset => Result.Failure is { } failure && failure.LineNumber > 0 ? FirstOffset + failure.LineNumber - 1 : null;

    /// <summary>Returns the verdict with the partition and offset.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Kafka topic '{Topic}' partition {Partition}, offsets {FirstOffset} to {EndOffset - 1}{(FailedOffset is { } offset ? ", first broken message at offset " + offset.ToString(CultureInfo.InvariantCulture) : string.Empty)}: {Result}");
}

/// <summary>
/// Reads one partition of an audit topic from its first to its last message and checks the chain with
/// <see cref="AuditChainVerifier"/>: every message is a canonical record whose hash matches, seqs count up by one, every
/// <c>prev</c> is the hash of the record before, checkpoints verify. It reports the first missing, edited, reordered or
/// foreign (written by someone else) record, with its offset.
/// </summary>
/// <remarks>
/// Messages are read one at a time, not loaded at once. Messages appended after reading started are not read. A
/// partition whose oldest records were deleted by retention starts mid-chain: pass the seq and hash of the record before
/// the first one kept (<see cref="AuditVerificationOptions.PreviousSeq"/>, <see cref="AuditVerificationOptions.PreviousHash"/>),
/// from an archive.
/// </remarks>
public static class KafkaAuditChainVerifier
{
    /// <summary>Verifies one partition.</summary>
    /// <param name="source">Brokers, topic and partition.</param>
    /// <param name="options">Verification keys, trusted checkpoints, a starting point; optional.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The result.</returns>
    /// <exception cref="TimeoutException">The brokers did not answer within <see cref="KafkaAuditVerifierOptions.OperationTimeout"/>.</exception>
    public static KafkaAuditVerificationResult Verify(KafkaAuditVerifierOptions source, AuditVerificationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrWhiteSpace(source.BootstrapServers) || string.IsNullOrWhiteSpace(source.Topic) || source.Partition < 0 || source.OperationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("KafkaAuditVerifierOptions: BootstrapServers and Topic are required, Partition not negative, OperationTimeout positive.", nameof(source));
        }

        var partition = new TopicPartition(source.Topic, new Partition(source.Partition));
        using IConsumer<Ignore, byte[]> consumer = new ConsumerBuilder<Ignore, byte[]>(KafkaAuditSink.ReaderConfig(source.BootstrapServers, source.ClientSettings ?? new Dictionary<string, string>(), source.OperationTimeout))
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
        WatermarkOffsets offsets;
        try
        {
            offsets = consumer.QueryWatermarkOffsets(partition, source.OperationTimeout);
        }
        catch (KafkaException exception)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"Could not read the offsets of Kafka topic '{source.Topic}' partition {source.Partition} within {source.OperationTimeout.TotalSeconds:N0} s ({exception.Error.Code})."), exception);
        }

        long low = offsets.Low.Value < 0 ? 0 : offsets.Low.Value;
        long high = offsets.High.Value < 0 ? 0 : offsets.High.Value;
        IEnumerable<string> values = ReadValues(consumer, partition, low, high, source.OperationTimeout, cancellationToken);
        if (source.StartAtFirstRetainedRecord && low > 0 && high > low && (options?.PreviousSeq ?? 0) == 0)
        {
            List<string> first = values.Take(1).ToList();
            if (first.Count == 1 && AuditRecord.TryParse(first[0], out AuditRecord? record, out _))
            {
                options = new AuditVerificationOptions
                {
                    VerificationKeys = options?.VerificationKeys ?? Array.Empty<AuditVerificationKey>(),
                    TrustedCheckpoints = options?.TrustedCheckpoints ?? Array.Empty<AuditRecord>(),
                    ReorderLookahead = options?.ReorderLookahead ?? 1024,
                    PreviousSeq = record.Seq - 1,
                    PreviousHash = record.Prev,
                };
            }

            values = ReadValues(consumer, partition, low, high, source.OperationTimeout, cancellationToken);
        }

        AuditVerificationResult result = AuditChainVerifier.Verify(values, options);
        return new KafkaAuditVerificationResult(source.Topic, source.Partition, low, high, result);
    }

    private static IEnumerable<string> ReadValues(IConsumer<Ignore, byte[]> consumer, TopicPartition partition, long low, long high, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (high <= low)
        {
            yield break;
        }

        consumer.Assign(new TopicPartitionOffset(partition, new Offset(low)));
        long next = low;
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        while (next < high)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ConsumeResult<Ignore, byte[]>? result = consumer.Consume(timeout);
            if (result is null)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"Kafka topic '{partition.Topic}' partition {partition.Partition.Value}: no message at offset {next} within {timeout.TotalSeconds:N0} s."));
            }

            if (result.IsPartitionEOF)
            {
                continue;
            }

            next = result.Offset.Value + 1;
            string line;
            try
            {
                line = result.Message.Value is { } value ? strict.GetString(value) : string.Empty;
            }
            catch (DecoderFallbackException)
            {
                line = "\uFFFD";   // not text: reported as malformed
            }

            yield return line;
        }
    }
}
