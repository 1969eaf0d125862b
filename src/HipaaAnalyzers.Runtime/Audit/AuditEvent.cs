using System;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>
/// One access to PHI. It references the resource (<c>/api/patients/123</c>); it never copies the PHI itself, so the
/// audit trail can be kept, shipped and read without becoming a second copy of the records it protects.
/// </summary>
public sealed record AuditEvent
{
    /// <summary>When the access happened, in UTC; written as ISO 8601.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Who accessed: a user id or name from the authenticated principal, or <c>anonymous</c>.</summary>
    public required string User { get; init; }

    /// <summary>What was done.</summary>
    public required AuditAction Action { get; init; }

    /// <summary>What was accessed: a path or resource name, never the payload.</summary>
    public required string Resource { get; init; }

    /// <summary>Where the access came from.</summary>
    public AuditContext Context { get; init; } = AuditContext.Empty;

    /// <summary>How it ended.</summary>
    public AuditOutcome Outcome { get; init; } = AuditOutcome.Success;

    /// <summary>Why access was denied or failed, when it was; <c>null</c> on success.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Returns the action, outcome and time only. User, resource, context (an IP address is a HIPAA identifier) and
    /// reason are left out, so that logging an event object does not copy them into application logs.
    /// </summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        "AuditEvent (" + (AuditRecordFormat.ActionText(Action) ?? "undefined action") + ", " + (AuditRecordFormat.OutcomeText(Outcome) ?? "undefined outcome") + ", " + AuditRecordFormat.FormatTimestamp(Timestamp) + ")";
}
