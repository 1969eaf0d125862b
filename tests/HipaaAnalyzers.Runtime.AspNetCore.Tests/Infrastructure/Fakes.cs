using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.AspNetCore.Http;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;

/// <summary>Keeps the events in memory; records whether the response had started when each was written.</summary>
internal sealed class CollectingAuditSink : IAuditSink
{
    private readonly IHttpContextAccessor? _accessor;
    private readonly List<AuditEvent> _events = new();
    private readonly List<bool> _responseStarted = new();

    public CollectingAuditSink(IHttpContextAccessor? accessor = null)
    {
        _accessor = accessor;
    }

    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    public IReadOnlyList<bool> ResponseStartedAtWrite
    {
        get
        {
            lock (_events)
            {
                return _responseStarted.ToArray();
            }
        }
    }

    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        lock (_events)
        {
            _events.Add(auditEvent);
            _responseStarted.Add(_accessor?.HttpContext?.Response.HasStarted ?? false);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>A sink whose store is unavailable.</summary>
internal sealed class FailingAuditSink : IAuditSink
{
    public int Attempts;

    public async ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Attempts);
        await Task.Yield();
        throw new IOException("audit volume is full");
    }
}

/// <summary>A clock the test sets.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    public ManualTimeProvider(DateTimeOffset now)
    {
        Now = now;
    }

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}
