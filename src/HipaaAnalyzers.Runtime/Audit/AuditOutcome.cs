namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>How an audited request ended. Serialized in lower case.</summary>
public enum AuditOutcome
{
    /// <summary>The access was allowed and completed.</summary>
    Success,

    /// <summary>Authorization denied the access; <see cref="AuditEvent.Reason"/> says why.</summary>
    Denied,

    /// <summary>The access was allowed but failed (an error status or exception).</summary>
    Failure,
}
