using System;
using System.Collections.Generic;
using HipaaAnalyzers.Runtime.Audit;

namespace HipaaAnalyzers.Runtime.Kafka;

/// <summary>Options of <see cref="KafkaAuditSink"/>.</summary>
public sealed class KafkaAuditSinkOptions
{
    /// <summary>Gets or sets the brokers (<c>host:port,host:port</c>). Required.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Gets or sets the audit topic. Required. Create it as docs/runtime/audit.md says (replication, <c>min.insync.replicas</c>, no compaction).</summary>
    public string? Topic { get; set; }

    /// <summary>
    /// Gets or sets the partition this sink writes: one hash chain per partition, and one writer per chain. Give every
    /// writer process (every replica of the service) its own partition; two writers on one partition break its chain,
    /// which the verifier then reports. Default 0.
    /// </summary>
    public int Partition { get; set; }

    /// <summary>
    /// Gets or sets the key that signs checkpoints. The sink does not dispose it. Without a key the partition is
    /// hash-chained but has no checkpoints: configure one in production.
    /// </summary>
    public AuditSigningKey? SigningKey { get; set; }

    /// <summary>Gets or sets after how many records a checkpoint is written; 0 turns the count trigger off. Default 1000.</summary>
    public int CheckpointEveryRecords { get; set; } = 1000;

    /// <summary>
    /// Gets or sets how long records may stay unsigned before a checkpoint is written (when there are new records);
    /// <see cref="TimeSpan.Zero"/> turns the time trigger off. Default one minute.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets a value indicating whether closing the sink writes a final checkpoint. Default <see langword="true"/>.</summary>
    public bool CheckpointOnClose { get; set; } = true;

    /// <summary>
    /// Gets or sets how long a record may take to be acknowledged by the in-sync replicas, retries included
    /// (<c>message.timeout.ms</c>). A write not acknowledged in time fails with <see cref="AuditWriteException"/>.
    /// Default 30 seconds.
    /// </summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long reading the end of the partition may take when the sink opens or resumes. Default 10 seconds.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the most events produced together (one wait for their acknowledgements). Default 1024.</summary>
    public int MaxBatchSize { get; set; } = 1024;

    /// <summary>Gets or sets how many events may wait for the writer; further callers wait for room. Default 65536.</summary>
    public int MaxQueueLength { get; set; } = 65536;

    /// <summary>
    /// Gets or sets extra librdkafka settings for the producer and the reader of the partition's end, for example
    /// <c>security.protocol</c>, <c>ssl.ca.location</c>, <c>sasl.mechanism</c>, <c>sasl.username</c>,
    /// <c>sasl.password</c>. The durability settings (<c>acks</c>, <c>enable.idempotence</c>,
    /// <c>enable.gapless.guarantee</c>, <c>max.in.flight.requests.per.connection</c>, <c>message.timeout.ms</c>) are
    /// the sink's and cannot be set here.
    /// </summary>
    public IDictionary<string, string> ClientSettings { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the clock of checkpoint times; default <see cref="System.TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    internal KafkaAuditSinkOptions Clone()
    {
        var copy = (KafkaAuditSinkOptions)MemberwiseClone();
        copy.ClientSettings = new Dictionary<string, string>(ClientSettings ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        return copy;
    }
}
