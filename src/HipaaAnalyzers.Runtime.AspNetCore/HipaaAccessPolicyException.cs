using System;

namespace HipaaAnalyzers.Runtime.AspNetCore;

/// <summary>
/// Thrown at startup by <c>AddHipaaAccessPolicies</c> when the role definitions or options are invalid. The message
/// names the role and the field (and, for malformed JSON, the line and position) so the definition can be fixed.
/// </summary>
public sealed class HipaaAccessPolicyException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="HipaaAccessPolicyException"/> class.</summary>
    public HipaaAccessPolicyException()
        : base("The access policy definitions are invalid.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HipaaAccessPolicyException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public HipaaAccessPolicyException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HipaaAccessPolicyException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public HipaaAccessPolicyException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    private HipaaAccessPolicyException(string message, string? role, string? field, long? lineNumber, long? position, Exception? innerException)
        : base(message, innerException)
    {
        Role = role;
        Field = field;
        LineNumber = lineNumber;
        BytePositionInLine = position;
    }

    /// <summary>The role whose definition is wrong, when known.</summary>
    public string? Role { get; }

    /// <summary>The field that is wrong, in JSON terms (<c>constraints.ip_range[1]</c>), or the option name.</summary>
    public string? Field { get; }

    /// <summary>For malformed JSON, the 1-based line of the error.</summary>
    public long? LineNumber { get; }

    /// <summary>For malformed JSON, the 1-based byte position of the error within its line.</summary>
    public long? BytePositionInLine { get; }

    internal static HipaaAccessPolicyException ForRole(string? role, int entry, string field, string problem)
    {
        string who = role is null ? $"entry #{entry}" : $"role '{role}'";
        return new HipaaAccessPolicyException($"Access policy {who}, field '{field}': {problem}.", role, field, null, null, null);
    }

    internal static HipaaAccessPolicyException ForDocument(string? source, string problem, long? line = null, long? position = null, Exception? inner = null)
    {
        string where = source is null ? string.Empty : $" ({source})";
        string at = line is null ? string.Empty : $" at line {line}, position {position}";
        return new HipaaAccessPolicyException($"Access policy definitions{where} are invalid{at}: {problem}", null, null, line, position, inner);
    }

    internal static HipaaAccessPolicyException ForOption(string option, string problem)
        => new($"HipaaAccessPolicyOptions.{option}: {problem}.", null, option, null, null, null);
}
