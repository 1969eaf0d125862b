using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace HipaaAnalyzers.Runtime.AspNetCore.Auditing;

/// <summary>
/// Wraps the authorization middleware's result handler to note, on the request's audit scope, the endpoint and why
/// access was denied; the denial itself is handled by the wrapped handler (401, 403 or a login redirect).
/// </summary>
internal sealed class AuditingAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly IAuthorizationMiddlewareResultHandler _inner;

    public AuditingAuthorizationResultHandler(IAuthorizationMiddlewareResultHandler inner)
    {
        _inner = inner;
    }

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (context.Features.Get<AuditScope>() is { } scope)
        {
            scope.CaptureEndpoint(context.GetEndpoint());
            if (authorizeResult.Challenged)
            {
                scope.DenialReason = "not authenticated";
            }
            else if (authorizeResult.Forbidden)
            {
                scope.DenialReason = Describe(authorizeResult.AuthorizationFailure);
            }
        }

        return _inner.HandleAsync(next, context, policy, authorizeResult);
    }

    internal static string Describe(AuthorizationFailure? failure)
    {
        if (failure is null)
        {
            return "forbidden";
        }

        List<string> reasons = failure.FailureReasons.Select(r => r.Message).Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().ToList();
        if (reasons.Count > 0)
        {
            return string.Join("; ", reasons);
        }

        List<string> requirements = failure.FailedRequirements.Select(DescribeRequirement).Distinct().ToList();
        return requirements.Count > 0 ? string.Join("; ", requirements) : "forbidden by policy";
    }

    private static string DescribeRequirement(IAuthorizationRequirement requirement) => requirement switch
    {
        DenyAnonymousAuthorizationRequirement => "not authenticated",
        RolesAuthorizationRequirement roles => "requires one of the roles " + string.Join(", ", roles.AllowedRoles),
        ClaimsAuthorizationRequirement claims => "requires claim " + claims.ClaimType,
        _ => "requirement not met: " + requirement.GetType().Name,
    };
}
