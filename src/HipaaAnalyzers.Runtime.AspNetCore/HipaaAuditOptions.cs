using System.Collections.Generic;
using System.Security.Claims;

namespace HipaaAnalyzers.Runtime.AspNetCore;

/// <summary>Options of the HIPAA audit middleware, set with <c>services.AddHipaaAudit(options => ...)</c>.</summary>
public sealed class HipaaAuditOptions
{
    /// <summary>
    /// Audit every request that reaches an endpoint (MVC, Razor Pages, minimal APIs), not only those marked with
    /// <see cref="AuditPhiAccessAttribute"/> or <c>.AuditPhiAccess()</c>. The action comes from the HTTP method unless
    /// the endpoint names one. Requests that match no endpoint (static files, 404s) and CORS preflight requests are
    /// not audited. Default <see langword="false"/>.
    /// </summary>
    public bool AuditAllEndpoints { get; set; }

    /// <summary>
    /// The header that proxies put the client address in. Read only when the connection comes from one of
    /// <see cref="TrustedProxies"/>, and walked right to left while each hop is trusted. Default
    /// <c>X-Forwarded-For</c>; <see langword="null"/> ignores forwarded headers and records the connection's address
    /// (which <c>UseForwardedHeaders()</c> may already have replaced).
    /// </summary>
    public string? ForwardedForHeaderName { get; set; } = "X-Forwarded-For";

    /// <summary>
    /// Proxies whose <see cref="ForwardedForHeaderName"/> header is believed: IP addresses (<c>10.0.0.7</c>,
    /// <c>::1</c>) or CIDR ranges (<c>10.0.0.0/8</c>). Empty by default, so a client cannot spoof its address by
    /// sending the header itself. Access policies' IP ranges are checked against the same client address.
    /// </summary>
    public IList<string> TrustedProxies { get; } = new List<string>();

    /// <summary>The header holding a device identifier, recorded as <c>context.device_id</c>. Default <c>X-Device-Id</c>; <see langword="null"/> records none.</summary>
    public string? DeviceIdHeaderName { get; set; } = "X-Device-Id";

    /// <summary>The header holding a location (for example set by a gateway), recorded as <c>context.location</c>. Default <see langword="null"/> (none).</summary>
    public string? LocationHeaderName { get; set; }

    /// <summary>
    /// The claim types tried, in order, for the user recorded in the event. Default
    /// <see cref="ClaimTypes.NameIdentifier"/>, <c>sub</c>, <see cref="ClaimTypes.Name"/>, <c>name</c>. When the user is
    /// authenticated but none is present, <see cref="UnidentifiedUser"/> is recorded.
    /// </summary>
    public IList<string> UserClaimTypes { get; } = new List<string> { ClaimTypes.NameIdentifier, "sub", ClaimTypes.Name, "name" };

    /// <summary>The user recorded when the request is not authenticated. Default <c>anonymous</c>.</summary>
    public string AnonymousUser { get; set; } = "anonymous";

    /// <summary>The user recorded when the request is authenticated but carries none of <see cref="UserClaimTypes"/>. Default <c>unidentified</c>.</summary>
    public string UnidentifiedUser { get; set; } = "unidentified";
}
