using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Phi;

internal enum PhiFindingKind
{
    /// <summary>A PHI value (a name, an SSN, a date of birth).</summary>
    Value,

    /// <summary>An object that carries PHI, formatted or serialized whole.</summary>
    WholeObject,
}

/// <summary>PHI found in a value that reaches a sink, and the operation it came from.</summary>
internal sealed class PhiFinding
{
    public PhiFinding(PhiFindingKind kind, IOperation source, PhiReason reason, string? howFormatted = null)
    {
        Kind = kind;
        Source = source;
        Reason = reason;
        HowFormatted = howFormatted;
    }

    public PhiFindingKind Kind { get; }

    /// <summary>Where the PHI enters the value: a member access, a parameter, a call, or the whole object.</summary>
    public IOperation Source { get; }

    public PhiReason Reason { get; }

    /// <summary>For whole objects: "formatted by its generated ToString", "destructured", "serialized".</summary>
    public string? HowFormatted { get; }
}
