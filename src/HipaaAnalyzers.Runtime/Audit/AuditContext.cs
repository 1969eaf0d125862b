namespace HipaaAnalyzers.Runtime.Audit;

/// <summary>Where an access came from. Every field is optional; none of them may hold PHI.</summary>
/// <param name="Ip">The client IP address, after trusted forwarded headers are applied.</param>
/// <param name="DeviceId">A device identifier the client sent, for example in a header.</param>
/// <param name="Location">A location the client or gateway reported, when provided.</param>
public sealed record AuditContext(string? Ip = null, string? DeviceId = null, string? Location = null)
{
    /// <summary>A context with nothing known.</summary>
    public static AuditContext Empty { get; } = new();

    /// <summary>Returns which fields are known, never their values (an IP address is a HIPAA identifier).</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        "AuditContext (ip " + (Ip is null ? "unknown" : "set") + ", device id " + (DeviceId is null ? "unknown" : "set") + ", location " + (Location is null ? "unknown" : "set") + ")";
}
