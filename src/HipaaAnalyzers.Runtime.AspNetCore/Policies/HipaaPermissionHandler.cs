using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Claims;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.AspNetCore.Auditing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;

namespace HipaaAnalyzers.Runtime.AspNetCore.Policies;

/// <summary>The requirement of the policy named after a permission, for example <c>view:medical_images</c>.</summary>
internal sealed class HipaaPermissionRequirement : IAuthorizationRequirement
{
    public HipaaPermissionRequirement(string permission)
    {
        Permission = permission;
    }

    public string Permission { get; }

    public override string ToString() => "permission " + Permission;
}

/// <summary>
/// Succeeds when one of the user's roles grants the permission and that role's time window and IP ranges hold now;
/// otherwise fails with a reason (<see cref="AuthorizationFailureReason"/>) the audit records.
/// </summary>
internal sealed class HipaaPermissionHandler : AuthorizationHandler<HipaaPermissionRequirement>
{
    private readonly AccessPolicySet _policies;
    private readonly TimeProvider _time;
    private readonly ClientAddressResolver _addresses;
    private readonly IHttpContextAccessor? _accessor;

    public HipaaPermissionHandler(AccessPolicySet policies, TimeProvider time, ClientAddressResolver addresses, IHttpContextAccessor? accessor = null)
    {
        _policies = policies;
        _time = time;
        _addresses = addresses;
        _accessor = accessor;
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, HipaaPermissionRequirement requirement)
    {
        List<RoleDefinition> held = new();
        if (_policies.GrantsByPermission.TryGetValue(requirement.Permission, out IReadOnlyList<RoleDefinition>? granting))
        {
            HashSet<string> roles = RolesOf(context.User, _policies.RoleClaimType);
            held.AddRange(granting.Where(r => roles.Contains(r.Name)));
        }

        if (held.Count == 0)
        {
            context.Fail(new AuthorizationFailureReason(this, "no role grants " + requirement.Permission));
            return Task.CompletedTask;
        }

        HttpContext? http = context.Resource switch
        {
            HttpContext h => h,
            AuthorizationFilterContext filter => filter.HttpContext,
            _ => _accessor?.HttpContext,
        };
        IPAddress? client = http is null ? null : _addresses.Resolve(http);
        DateTimeOffset now = _time.GetUtcNow();

        List<string> reasons = new();
        foreach (RoleDefinition role in held)
        {
            string? problem = role.Check(now, _policies.TimeZone, client);
            if (problem is null)
            {
                context.Succeed(requirement);
                return Task.CompletedTask;
            }

            reasons.Add(held.Count == 1 ? problem : $"role {role.Name}: {problem}");
        }

        context.Fail(new AuthorizationFailureReason(this, string.Join("; ", reasons)));
        return Task.CompletedTask;
    }

    private static HashSet<string> RolesOf(ClaimsPrincipal user, string claimType)
    {
        HashSet<string> roles = new(StringComparer.Ordinal);
        foreach (ClaimsIdentity identity in user.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            foreach (Claim claim in identity.FindAll(claimType))
            {
                roles.Add(claim.Value);
            }
        }

        return roles;
    }
}
