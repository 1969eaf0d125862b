using System;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.AspNetCore.Http;

namespace HipaaAnalyzers.Runtime.AspNetCore.Auditing;

/// <summary>The audit state of one request, kept in <see cref="HttpContext.Features"/> by the audit middleware.</summary>
internal sealed class AuditScope
{
    public AuditScope(DateTimeOffset timestamp, string resource)
    {
        Timestamp = timestamp;
        Resource = resource;
    }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The request path as it arrived (path base and path, no query string).</summary>
    public string Resource { get; }

    /// <summary>The action fixed by <see cref="AuditPhiAccessAttribute"/> when the MVC action ran.</summary>
    public AuditAction? ArmedAction { get; private set; }

    /// <summary>The endpoint the request was routed to, captured before any exception handler re-executes the pipeline.</summary>
    public Endpoint? Endpoint { get; private set; }

    /// <summary>Why authorization denied the request, when it did.</summary>
    public string? DenialReason { get; set; }

    /// <summary>The exception that escaped the pipeline before the response started.</summary>
    public Exception? Exception { get; set; }

    /// <summary>The single write of this request's event (or the decision not to audit it).</summary>
    public Task? Write { get; set; }

    public AuditScopeState State { get; set; }

    public void Arm(AuditAction action, Endpoint? endpoint)
    {
        ArmedAction = action;
        CaptureEndpoint(endpoint);
    }

    public void CaptureEndpoint(Endpoint? endpoint)
    {
        Endpoint ??= endpoint;
    }
}

internal enum AuditScopeState
{
    Pending,
    NotAudited,
    Written,
    WriteFailed,
}

/// <summary>Registered by <c>AddHipaaAudit</c> so that conventions can tell the audit is configured.</summary>
internal sealed class HipaaAuditMarker
{
}
