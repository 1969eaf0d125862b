using System;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HipaaAnalyzers.Runtime;

/// <summary>Registers the Kafka audit sink.</summary>
/// <example>
/// <code>
/// builder.Services.AddSingleton(AuditSigningKey.FromPemFile("/run/secrets/audit-signing-key.pem"));
/// builder.Services.AddHipaaKafkaAudit("kafka-1:9093,kafka-2:9093,kafka-3:9093", "hipaa-audit", o =>
/// {
///     o.Partition = replicaOrdinal;                  // one chain, one writer per partition
///     o.ClientSettings["security.protocol"] = "SSL";
/// });
/// </code>
/// </example>
public static class HipaaKafkaAuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="KafkaAuditSink"/> singleton as <see cref="IAuditSink"/> (and as itself), closed (queue
    /// drained, closing checkpoint written) when the container is disposed. The signing key is
    /// <see cref="KafkaAuditSinkOptions.SigningKey"/> when set, else a registered <see cref="AuditSigningKey"/>, else
    /// one read from <c>HIPAA_AUDIT_SIGNING_KEY</c>. Resolve the sink and call <see cref="KafkaAuditSink.OpenAsync"/> at
    /// startup so that an unreachable broker stops the deployment rather than the first request.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="bootstrapServers">The brokers.</param>
    /// <param name="topic">The audit topic.</param>
    /// <param name="configure">Further options; optional.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddHipaaKafkaAudit(this IServiceCollection services, string bootstrapServers, string topic, Action<KafkaAuditSinkOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(bootstrapServers);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        services.AddOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<KafkaAuditSinkOptions>(options =>
        {
            options.BootstrapServers = bootstrapServers;
            options.Topic = topic;
            configure?.Invoke(options);
        });
        services.TryAddSingleton(_ => AuditSigningKey.FromEnvironment());
        services.TryAddSingleton(sp =>
        {
            KafkaAuditSinkOptions options = sp.GetRequiredService<IOptions<KafkaAuditSinkOptions>>().Value.Clone();
            options.SigningKey ??= sp.GetRequiredService<AuditSigningKey>();
            options.TimeProvider ??= sp.GetRequiredService<TimeProvider>();
            return new KafkaAuditSink(options, sp.GetService<ILogger<KafkaAuditSink>>());
        });
        services.TryAddSingleton<IAuditSink>(sp => sp.GetRequiredService<KafkaAuditSink>());
        return services;
    }
}
