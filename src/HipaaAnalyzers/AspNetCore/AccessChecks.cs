using System.Linq;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// Code in a handler that narrows who may call it beyond what ASP.NET Core authorization requires: a role or claim
/// check (<c>user.IsInRole("Doctor")</c>, <c>User.HasClaim(...)</c>), a resource-based check
/// (<c>authorizationService.AuthorizeAsync(User, record, "SameClinic")</c>), or a forbid or unauthorized result
/// produced on a path a condition guards (<c>if (!allowed) return Results.Forbid();</c>). A condition that only tests
/// <c>User.Identity.IsAuthenticated</c> is authentication, not a narrowing check.
/// </summary>
/// <remarks>
/// Judges one operation of a body; <see cref="AuditModel"/> walks each body once and follows one level of calls.
/// </remarks>
internal static class AccessChecks
{
    /// <summary>
    /// "checks IsInRole", "checks HasClaim", "calls IAuthorizationService.AuthorizeAsync", "returns Forbid() under a
    /// condition", "returns Results.Unauthorized() under a condition", "returns StatusCode(403) under a condition";
    /// null when <paramref name="operation"/> is none of them. <paramref name="root"/> is the body it belongs to.
    /// </summary>
    public static string? Describe(IOperation operation, IOperation root)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                switch (method.Name)
                {
                    case "IsInRole" when IsPrincipal(method.ContainingType):
                        return "checks IsInRole";
                    case "HasClaim" when IsClaims(method.ContainingType):
                        return "checks HasClaim";
                    case "AuthorizeAsync" when IsAuthorizationService(method.ContainingType):
                        return "calls IAuthorizationService.AuthorizeAsync";
                }

                return DeniedResult(invocation) is { } denied && IsGuarded(operation, root) ? "returns " + denied + " under a condition" : null;

            case IObjectCreationOperation { Type: INamedTypeSymbol type }
                when type.Name is "ForbidResult" or "UnauthorizedResult" or "UnauthorizedObjectResult" or "ChallengeResult" &&
                     TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.AspNetCore") && IsGuarded(operation, root):
                return "returns new " + type.Name + "() under a condition";

            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "StatusCode" } property } } assignment
                when property.ContainingType?.Name == "HttpResponse" && DeniedStatus(assignment.Value) is { } status && IsGuarded(operation, root):
                return "sets Response.StatusCode to " + status + " under a condition";
        }

        return null;
    }

    /// <summary>
    /// "Forbid()", "Results.Forbid()", "TypedResults.Unauthorized()", "Challenge()", "StatusCode(403)",
    /// "Problem(statusCode: 403)" for a result of ASP.NET Core's <c>Results</c>, <c>TypedResults</c>,
    /// <c>ControllerBase</c> or <c>PageModel</c> that refuses the caller; null for any other call.
    /// </summary>
    private static string? DeniedResult(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (type is null || !(type.Name is "Results" or "TypedResults" or "ControllerBase" or "PageModel") ||
            !TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.AspNetCore"))
        {
            return null;
        }

        var prefix = type.Name is "Results" or "TypedResults" ? type.Name + "." : string.Empty;
        switch (method.Name)
        {
            case "Forbid" or "Challenge" or "Unauthorized":
                return prefix + method.Name + "()";
            case "StatusCode" when invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "statusCode") is { } code && DeniedStatus(code.Value) is { } status:
                return prefix + "StatusCode(" + status + ")";
            case "Problem" when invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "statusCode") is { } code && DeniedStatus(code.Value) is { } status:
                return prefix + "Problem(statusCode: " + status + ")";
        }

        return null;
    }

    /// <summary>401 or 403 written as a constant (<c>403</c>, <c>StatusCodes.Status403Forbidden</c>).</summary>
    private static int? DeniedStatus(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value.ConstantValue is { HasValue: true, Value: int status } && status is 401 or 403 ? status : null;
    }

    /// <summary>
    /// A condition decides whether the operation runs: it is in a branch of an <c>if</c> or <c>?:</c> (not in its
    /// condition), in a switch section or arm, or after an <c>if</c> of the same block that returns or throws. A
    /// condition that only tests whether the user is signed in does not count.
    /// </summary>
    private static bool IsGuarded(IOperation operation, IOperation root)
    {
        for (var child = operation; child != root && child.Parent is { } parent; child = parent)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when child != conditional.Condition && !TestsOnlyAuthentication(conditional.Condition):
                    return true;
                case ISwitchCaseOperation or ISwitchExpressionArmOperation:
                    return true;
                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        if (statement == child)
                        {
                            break;
                        }

                        if (statement is IConditionalOperation earlier && LeavesEarly(earlier) && !TestsOnlyAuthentication(earlier.Condition))
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>A branch of the <c>if</c> returns or throws (not inside a lambda of it).</summary>
    private static bool LeavesEarly(IConditionalOperation conditional)
    {
        foreach (var branch in new[] { conditional.WhenTrue, conditional.WhenFalse })
        {
            if (branch is null)
            {
                continue;
            }

            var pending = new System.Collections.Generic.Stack<IOperation>();
            pending.Push(branch);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (current is IReturnOperation { Kind: OperationKind.Return } or IThrowOperation)
                {
                    return true;
                }

                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    continue;
                }

                foreach (var child in current.ChildOperations)
                {
                    pending.Push(child);
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The condition reads <c>IsAuthenticated</c> and nothing but the principal, its identity and the HTTP context
    /// that lead to it (<c>User.Identity?.IsAuthenticated != true</c>).
    /// </summary>
    private static bool TestsOnlyAuthentication(IOperation condition)
    {
        bool authenticated = false;
        foreach (var operation in condition.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property.Name: "IsAuthenticated" }:
                    authenticated = true;
                    break;
                case IPropertyReferenceOperation or IFieldReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation or
                    IInvocationOperation or IConditionalAccessInstanceOperation:
                    if (!IsIdentityPlumbing(operation.Type))
                    {
                        return false;
                    }

                    break;
            }
        }

        return authenticated;
    }

    private static bool IsIdentityPlumbing(ITypeSymbol? type) =>
        type?.Name is "ClaimsPrincipal" or "IPrincipal" or "IIdentity" or "ClaimsIdentity" or "HttpContext" or "IHttpContextAccessor";

    private static bool IsPrincipal(INamedTypeSymbol? type) =>
        type is not null &&
        (TypeNames.DerivesFrom(type, "System.Security.Claims", "ClaimsPrincipal") || TypeNames.Is(type, "System.Security.Principal", "IPrincipal") ||
         Interfaces.Of(type).Any(i => TypeNames.Is(i, "System.Security.Principal", "IPrincipal")));

    private static bool IsClaims(INamedTypeSymbol? type) =>
        TypeNames.DerivesFrom(type, "System.Security.Claims", "ClaimsPrincipal") || TypeNames.DerivesFrom(type, "System.Security.Claims", "ClaimsIdentity");

    private static bool IsAuthorizationService(INamedTypeSymbol? type) =>
        type is not null &&
        (TypeNames.Is(type, "Microsoft.AspNetCore.Authorization", "IAuthorizationService") ||
         TypeNames.Is(type, "Microsoft.AspNetCore.Authorization", "AuthorizationServiceExtensions") ||
         Interfaces.Of(type).Any(i => TypeNames.Is(i, "Microsoft.AspNetCore.Authorization", "IAuthorizationService")));
}
