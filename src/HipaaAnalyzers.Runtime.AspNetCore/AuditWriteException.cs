using System;
using HipaaAnalyzers.Runtime.Audit;

namespace HipaaAnalyzers.Runtime.AspNetCore;

/// <summary>
/// Thrown into the request pipeline when the <see cref="IAuditSink"/> could not store the audit event of an audited
/// request. The audit middleware then answers the request with 500 and an empty body, so PHI is never served
/// without an audit record.
/// </summary>
/// <remarks>The message never contains the event or any request data; the sink's exception is the inner exception.</remarks>
public sealed class AuditWriteException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="AuditWriteException"/> class.</summary>
    public AuditWriteException()
        : base("The audit event could not be written; the request was failed so that PHI is not served without an audit record.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuditWriteException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain PHI.</param>
    public AuditWriteException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuditWriteException"/> class with a message and the sink's exception.</summary>
    /// <param name="message">The message; it must not contain PHI.</param>
    /// <param name="innerException">The exception the sink threw.</param>
    public AuditWriteException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
