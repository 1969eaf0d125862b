using System;

namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>
/// An audit event was not stored. Thrown by sinks whose storage refused or did not confirm the write (the Kafka sink on
/// a broker error or a delivery timeout), and by the ASP.NET Core audit middleware when the <see cref="IAuditSink"/>
/// failed (it then answers the request with 500 and an empty body, so PHI is never served without an audit record).
/// </summary>
/// <remarks>
/// The message never contains the event, request data or key material; it names the store (topic, partition, file) and
/// why. The underlying error, when there is one, is the inner exception.
/// </remarks>
public sealed class AuditWriteException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="AuditWriteException"/> class.</summary>
    public AuditWriteException()
        : base("The audit event could not be written.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuditWriteException"/> class with a message.</summary>
    /// <param name="message">The message; it must not contain PHI.</param>
    public AuditWriteException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuditWriteException"/> class with a message and the cause.</summary>
    /// <param name="message">The message; it must not contain PHI.</param>
    /// <param name="innerException">The exception the sink or its storage threw.</param>
    public AuditWriteException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
