using System.Threading;
using System.Threading.Tasks;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>
/// An append-only, tamper-evident store for audit events. When <see cref="WriteAsync"/> completes, the event is
/// durable: a crash after that point cannot lose it.
/// </summary>
public interface IAuditSink
{
    /// <summary>Appends <paramref name="auditEvent"/> and completes once it is durably stored.</summary>
    ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);
}
