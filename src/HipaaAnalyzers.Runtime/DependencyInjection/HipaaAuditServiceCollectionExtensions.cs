using System;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HipaaAnalyzers.Runtime;

/// <summary>Registers the audit trail services of the HipaaAnalyzers runtime.</summary>
/// <example>
/// <code>
/// // The signing key: HIPAA_AUDIT_SIGNING_KEY by default, or register your own:
/// builder.Services.AddSingleton(AuditSigningKey.FromPemFile("/run/secrets/audit-signing-key.pem"));
/// builder.Services.AddHipaaAuditFileSink("/var/log/clinic/audit.jsonl", o =>
/// {
///     o.CheckpointAnchorPath = "/mnt/audit-anchor/clinic-audit.checkpoints";
///     o.CheckpointEveryRecords = 1000;
/// });
/// </code>
/// </example>
public static class HipaaAuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="FileAuditSink"/> singleton as <see cref="IAuditSink"/> (and as itself), opened on first use
    /// and closed (queue drained, closing checkpoint written) when the container is disposed. The checkpoint signing key
    /// is <see cref="FileAuditSinkOptions.SigningKey"/> when set, else a registered <see cref="AuditSigningKey"/>, else
    /// one read from the <c>HIPAA_AUDIT_SIGNING_KEY</c> environment variable (see
    /// <see cref="AuditSigningKey.FromEnvironment(string, string)"/>). The clock is the registered
    /// <see cref="TimeProvider"/> unless the options name one.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="path">The audit log file.</param>
    /// <param name="configure">Further options; optional.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddHipaaAuditFileSink(this IServiceCollection services, string path, Action<FileAuditSinkOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(path);
        services.AddOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<FileAuditSinkOptions>(options =>
        {
            options.Path = path;
            configure?.Invoke(options);
        });
        services.TryAddSingleton(_ => AuditSigningKey.FromEnvironment());
        services.TryAddSingleton(sp =>
        {
            FileAuditSinkOptions configured = sp.GetRequiredService<IOptions<FileAuditSinkOptions>>().Value;
            var options = new FileAuditSinkOptions
            {
                Path = configured.Path,
                SigningKey = configured.SigningKey ?? sp.GetRequiredService<AuditSigningKey>(),
                CheckpointEveryRecords = configured.CheckpointEveryRecords,
                CheckpointInterval = configured.CheckpointInterval,
                CheckpointOnClose = configured.CheckpointOnClose,
                CheckpointAnchorPath = configured.CheckpointAnchorPath,
                FlushMode = configured.FlushMode,
                MaxBatchSize = configured.MaxBatchSize,
                MaxBatchDelay = configured.MaxBatchDelay,
                MaxQueueLength = configured.MaxQueueLength,
                TornTail = configured.TornTail,
                TimeProvider = configured.TimeProvider ?? sp.GetRequiredService<TimeProvider>(),
            };
            return new FileAuditSink(options, sp.GetService<ILogger<FileAuditSink>>());
        });
        services.TryAddSingleton<IAuditSink>(sp => sp.GetRequiredService<FileAuditSink>());
        return services;
    }
}
