using System;
using System.Security.Claims;

namespace HipaaAnalyzers.Runtime.AspNetCore;

/// <summary>Options of the access policies built from role definitions by <c>AddHipaaAccessPolicies</c>.</summary>
public sealed class HipaaAccessPolicyOptions
{
    /// <summary>
    /// The time zone in which <c>temporal</c> windows are read, for example
    /// <c>TimeZoneInfo.FindSystemTimeZoneById("America/New_York")</c>. Required: a server's local zone or UTC is
    /// rarely the clinic's, and a silent default would shift every window.
    /// </summary>
    public TimeZoneInfo? TimeZone { get; set; }

    /// <summary>The claim type holding the user's roles. Default <see cref="ClaimTypes.Role"/>. Only authenticated identities count.</summary>
    public string RoleClaimType { get; set; } = ClaimTypes.Role;
}
