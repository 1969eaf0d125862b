using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA304: authorization that a switch turns off or a backdoor grants.
/// <list type="bullet">
/// <item>An <c>if</c> or <c>?:</c> on the environment (<c>IsDevelopment()</c>, <c>EnvironmentName</c>), a configuration or
/// debug switch (<c>config["DisableAuth"]</c>, <c>Debugger.IsAttached</c>, a member named like <c>SkipAuthorization</c>)
/// or a request header, query value or cookie (compared to a constant, or only present), where one side turns
/// authorization on (<c>UseAuthorization</c>, <c>RequireAuthorization</c>, a fallback policy, <c>AuthorizeFilter</c>)
/// and the other does not, where a side turns it off or grants a user (<c>AllowAnonymous</c>, <c>context.Succeed</c>,
/// <c>HttpContext.User = ...</c>, <c>SignInAsync</c>), or where a side skips the authorization checks that follow
/// (returns or calls <c>next</c> before <c>IsAuthenticated</c>, <c>AuthorizeAsync</c>, a 401 or 403).</item>
/// <item>A hard-coded user (<c>User.Identity.Name == "admin"</c>, <c>userId == "12345"</c>) that grants access.</item>
/// <item>An authorization handler that calls <c>context.Succeed</c> unconditionally, and <c>RequireAssertion(_ =&gt; true)</c>.</item>
/// <item>A global <c>AllowAnonymousFilter</c>.</item>
/// </list>
/// <c>IsDevelopment()</c> around developer exception pages, Swagger, seeding or HSTS is left alone.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA304AuthorizationBypassAnalyzer : DiagnosticAnalyzer
{
    private enum Switch
    {
        None,
        Environment,
        Flag,
        Request,
    }

    private static readonly HashSet<string> EnablingCalls = new(StringComparer.Ordinal)
    {
        "UseAuthorization", "UseAuthentication", "RequireAuthorization", "AuthorizeFolder", "AuthorizePage", "AuthorizeAreaFolder",
        "AuthorizeAreaPage", "SetFallbackPolicy",
    };

    private static readonly HashSet<string> IdentityNames = new(StringComparer.Ordinal)
    {
        "user", "userid", "username", "userlogin", "login", "loginname", "useremail", "email", "upn", "subject", "sub", "caller",
        "callerid", "account", "accountid", "accountname", "principalname",
    };

    /// <summary>Maps that serve documentation or health probes: anonymous access to them in development is fine.</summary>
    private static readonly string[] ToolingMaps = { "MapOpenApi", "MapSwagger", "UseSwagger", "MapScalarApiReference", "MapHealthChecks" };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.AuthorizationBypass);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeConditional, OperationKind.Conditional);
        context.RegisterOperationAction(AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
        context.RegisterOperationAction(AnalyzeReturn, OperationKind.Return);
    }

    // ---- Switches around authorization ---------------------------------------------------------------------------

    private static void AnalyzeConditional(OperationAnalysisContext context)
    {
        var conditional = (IConditionalOperation)context.Operation;
        var condition = conditional.Condition;
        var whenTrue = conditional.WhenTrue;
        var whenFalse = conditional.WhenFalse;

        if (HardCodedUser(condition) is { } hardCoded)
        {
            var user = hardCoded.Name;
            if (Grants(whenTrue) is not null || whenFalse is not null && Grants(whenFalse) is not null || ReturnsTrue(whenTrue) ||
                SkipsChecks(conditional) is not null)
            {
                Report(context, condition, "Access is granted to a hard-coded user by '" + Text(condition) + "' (compares '" + user + "' to a constant)");
            }

            return;
        }

        var kind = Classify(condition);
        if (kind == Switch.None)
        {
            return;
        }

        var what = kind switch
        {
            Switch.Environment => "the environment check",
            Switch.Flag => "the configuration or debug switch",
            _ => "the request header, query value or cookie",
        };

        var disabling = Grants(whenTrue) ?? (whenFalse is null ? null : Grants(whenFalse));
        if (disabling is not null)
        {
            Report(context, condition, "'" + disabling + "' turns authorization off or grants access depending on " + what + " '" + Text(condition) + "'");
            return;
        }

        var enablingTrue = Enables(whenTrue);
        var enablingFalse = whenFalse is null ? null : Enables(whenFalse);
        if ((enablingTrue is null) != (enablingFalse is null))
        {
            Report(context, condition, "'" + (enablingTrue ?? enablingFalse) + "' is skipped depending on " + what + " '" + Text(condition) + "'");
            return;
        }

        if (SkipsChecks(conditional) is { } skip)
        {
            Report(context, condition, "The authorization checks that follow are skipped (" + skip + ") depending on " + what + " '" + Text(condition) + "'");
        }
    }

    /// <summary>An environment check, a configuration or debug switch, or a request header, query value or cookie used as a switch.</summary>
    private static Switch Classify(IOperation condition)
    {
        bool request = false;
        foreach (var operation in condition.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    if (method.Name is "IsDevelopment" or "IsStaging" or "IsProduction" or "IsEnvironment" &&
                        (method.ContainingType?.Name.Contains("Environment") == true || method.Parameters.FirstOrDefault()?.Type.Name.Contains("Environment") == true))
                    {
                        return Switch.Environment;
                    }

                    if (method.Name == "GetEnvironmentVariable" && method.ContainingType?.SpecialType == SpecialType.None && method.ContainingType.Name == "Environment" ||
                        method.Name is "GetValue" or "GetSection" && IsConfiguration(invocation.Instance?.Type ?? method.Parameters.FirstOrDefault()?.Type))
                    {
                        return Switch.Flag;
                    }

                    break;
                case IPropertyReferenceOperation property:
                    if (property.Property.Name == "EnvironmentName" && property.Property.ContainingType?.Name.Contains("Environment") == true)
                    {
                        return Switch.Environment;
                    }

                    if (property.Property.IsIndexer && IsConfiguration(property.Property.ContainingType) ||
                        property.Property.Name == "IsAttached" && property.Property.ContainingType?.Name == "Debugger" ||
                        NamesSwitch(property.Property.Name))
                    {
                        return Switch.Flag;
                    }

                    if (property.Property.Name is "Headers" or "Query" or "Cookies" or "Form" && property.Property.ContainingType?.Name == "HttpRequest")
                    {
                        request = true;
                    }

                    break;
                case IFieldReferenceOperation field when NamesSwitch(field.Field.Name):
                    return Switch.Flag;
                case ILocalReferenceOperation local when NamesSwitch(local.Local.Name):
                    return Switch.Flag;
                case IParameterReferenceOperation parameter when NamesSwitch(parameter.Parameter.Name):
                    return Switch.Flag;
            }
        }

        // A header compared to a value the code does not hold (an API key from configuration) is authentication, not a switch.
        return request && !ComparesToNonConstant(condition) ? Switch.Request : Switch.None;
    }

    private static bool IsConfiguration(ITypeSymbol? type) =>
        type is not null && (type.Name.StartsWith("IConfiguration", StringComparison.Ordinal) || type.Name == "ConfigurationManager" ||
                             Interfaces.Of(type).Any(i => i.Name == "IConfiguration"));

    /// <summary>Letters every word <see cref="NamesSwitch"/> needs contains one of: "auth" (authorization, authentication, authz), "security", "login", "permissions", "bypass", "backdoor", "insecure", "debug".</summary>
    private static readonly string[] SwitchLetters = { "auth", "securit", "login", "permission", "bypass", "backdoor", "insecure", "debug" };

    /// <summary>DisableAuth, SkipAuthorization, BypassSecurity, DebugMode, NoAuth, Insecure ...</summary>
    private static bool NamesSwitch(string name)
    {
        // Most names have none of the words: look for their letters before splitting the name into words.
        if (!SwitchLetters.Any(letters => name.IndexOf(letters, StringComparison.OrdinalIgnoreCase) >= 0))
        {
            return false;
        }

        var words = IdentifierWords.Split(name);
        bool security = words.Any(w => w is "auth" or "authorization" or "authentication" or "authz" or "security" or "login" or "permissions");
        return words.Any(w => w is "bypass" or "backdoor" or "insecure" or "debug") ||
               security && words.Any(w => w is "disable" or "disabled" or "skip" or "no" or "ignore" or "without" or "off");
    }

    private static bool ComparesToNonConstant(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            var (left, right) = operation switch
            {
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary => (binary.LeftOperand, binary.RightOperand),
                IInvocationOperation { TargetMethod.Name: "Equals" } equals when equals.Arguments.Length >= 1 =>
                    equals.Instance is not null ? (equals.Instance, equals.Arguments[0].Value) :
                    equals.Arguments.Length >= 2 ? (equals.Arguments[0].Value, equals.Arguments[1].Value) : (null!, null!),
                _ => (null!, null!),
            };
            if (left is not null && right is not null && !IsConstant(left) && !IsConstant(right))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsConstant(IOperation operation) => Unwrap(operation).ConstantValue.HasValue;

    /// <summary>The first call, creation or assignment in <paramref name="branch"/> that turns authorization on.</summary>
    private static string? Enables(IOperation branch)
    {
        foreach (var operation in branch.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation invocation when EnablingCalls.Contains(invocation.TargetMethod.Name) && !OnEndpointMappedHere(invocation):
                    return invocation.TargetMethod.Name;
                case IObjectCreationOperation { Type.Name: "AuthorizeFilter" or "AuthorizeAttribute" } creation:
                    return "new " + creation.Type!.Name;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "FallbackPolicy" } }:
                    return "FallbackPolicy";
            }
        }

        return null;
    }

    /// <summary>
    /// <c>app.MapGet(...).RequireAuthorization(...)</c>: the endpoint itself exists only on this side (a feature
    /// switch), so its authorization does not depend on the condition.
    /// </summary>
    private static bool OnEndpointMappedHere(IInvocationOperation invocation)
    {
        IOperation? current = invocation;
        for (int depth = 0; depth < 16 && current is IInvocationOperation call; depth++)
        {
            if (call != invocation && call.TargetMethod.Name.StartsWith("Map", StringComparison.Ordinal))
            {
                return true;
            }

            var receiver = call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : call.Instance;
            current = receiver is null ? null : Unwrap(receiver);
        }

        return false;
    }

    /// <summary>The first operation in <paramref name="branch"/> that lets anonymous callers in or grants a user.</summary>
    private static string? Grants(IOperation branch)
    {
        foreach (var operation in branch.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    if (method.Name == "AllowAnonymous" && !IsToolingMap(invocation) ||
                        method.Name is "AllowAnonymousToFolder" or "AllowAnonymousToPage" or "AllowAnonymousToAreaFolder" or "AllowAnonymousToAreaPage" ||
                        method.Name == "Succeed" && method.ContainingType?.Name == "AuthorizationHandlerContext" ||
                        method.Name == "SignInAsync" ||
                        method.Name is "AddIdentity" or "AddClaim" or "AddClaims" && method.ContainingType?.Name is "ClaimsPrincipal" or "ClaimsIdentity")
                    {
                        return method.Name;
                    }

                    break;
                case IObjectCreationOperation { Type.Name: "AllowAnonymousAttribute" or "ClaimsPrincipal" or "GenericPrincipal" } creation:
                    return "new " + creation.Type!.Name;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "User" } user } }
                    when user.ContainingType?.Name == "HttpContext":
                    return "HttpContext.User = ...";
            }
        }

        return null;
    }

    /// <summary><c>app.MapOpenApi().AllowAnonymous()</c>: API documentation or a health probe, not data.</summary>
    private static bool IsToolingMap(IInvocationOperation allowAnonymous)
    {
        var receiver = allowAnonymous.TargetMethod.IsExtensionMethod && allowAnonymous.Arguments.Length > 0
            ? allowAnonymous.Arguments[0].Value
            : allowAnonymous.Instance;
        return receiver is not null && Unwrap(receiver) is IInvocationOperation map &&
               ToolingMaps.Any(name => map.TargetMethod.Name.StartsWith(name, StringComparison.Ordinal));
    }

    /// <summary>
    /// A side that returns or hands the request on (<c>await next(context); return;</c>) before the authorization checks
    /// that follow in the same method or lambda; a side that itself answers 401 or 403 is a check, not a skip.
    /// </summary>
    private static string? SkipsChecks(IConditionalOperation conditional)
    {
        var exit = Exits(conditional.WhenTrue) ?? (conditional.WhenFalse is null ? null : Exits(conditional.WhenFalse));
        if (exit is null || Denies(conditional.WhenTrue) || conditional.WhenFalse is not null && Denies(conditional.WhenFalse))
        {
            return null;
        }

        var body = conditional.Parent;
        while (body is not null && body is not (IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or IBlockOperation { Parent: null }))
        {
            body = body.Parent;
        }

        if (body is null)
        {
            return null;
        }

        var end = conditional.Syntax.Span.End;
        foreach (var operation in body.DescendantsAndSelf())
        {
            if (operation.Syntax.SpanStart >= end && IsAuthorizationCheck(operation))
            {
                return exit;
            }
        }

        return null;
    }

    private static string? Exits(IOperation branch)
    {
        foreach (var operation in branch.DescendantsAndSelf())
        {
            if (operation is IReturnOperation { IsImplicit: false })
            {
                return "returns early";
            }

            if (operation is IInvocationOperation { TargetMethod: { Name: "Invoke", ContainingType: { TypeKind: TypeKind.Delegate } } } invocation &&
                invocation.TargetMethod.ContainingType.Name is "RequestDelegate" or "Func" or "ActionExecutionDelegate" or "PageHandlerExecutionDelegate")
            {
                return "calls next";
            }
        }

        return null;
    }

    private static bool Denies(IOperation branch) => branch.DescendantsAndSelf().Any(IsAuthorizationCheck);

    /// <summary>IsAuthenticated, AuthorizeAsync, IsInRole, HasClaim, Forbid, Challenge, Fail, a 401 or 403 status.</summary>
    private static bool IsAuthorizationCheck(IOperation operation) => operation switch
    {
        IPropertyReferenceOperation { Property.Name: "IsAuthenticated" } => true,
        IInvocationOperation invocation => invocation.TargetMethod.Name is "AuthorizeAsync" or "IsInRole" or "HasClaim" or "Forbid" or "ForbidAsync" or
            "Challenge" or "ChallengeAsync" or "Unauthorized" or "Fail",
        IObjectCreationOperation { Type.Name: "ForbidResult" or "UnauthorizedResult" or "ChallengeResult" or "UnauthorizedObjectResult" } => true,
        ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "StatusCode" }, Value: var value } =>
            Unwrap(value).ConstantValue is { HasValue: true, Value: 401 or 403 },
        _ => false,
    };

    // ---- Hard-coded users ----------------------------------------------------------------------------------------

    /// <summary>The identity value compared to a non-empty string constant: <c>User.Identity.Name == "admin"</c>, <c>userId == "12345"</c>.</summary>
    private static (IOperation Comparison, string Name)? HardCodedUser(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            var (left, right) = operation switch
            {
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary => (binary.LeftOperand, binary.RightOperand),
                IInvocationOperation { TargetMethod.Name: "Equals" } equals when equals.Instance is not null && equals.Arguments.Length >= 1 =>
                    (equals.Instance, equals.Arguments[0].Value),
                IInvocationOperation { TargetMethod.Name: "Equals" } equals when equals.Arguments.Length >= 2 =>
                    (equals.Arguments[0].Value, equals.Arguments[1].Value),
                _ => (null!, null!),
            };
            if (left is null || right is null)
            {
                continue;
            }

            if (IsUserLiteral(right) && IdentityName(left) is { } leftName)
            {
                return (operation, leftName);
            }

            if (IsUserLiteral(left) && IdentityName(right) is { } rightName)
            {
                return (operation, rightName);
            }
        }

        return null;
    }

    private static bool IsUserLiteral(IOperation operation) =>
        Unwrap(operation).ConstantValue is { HasValue: true, Value: string text } && text.Trim().Length > 0;

    private static string? IdentityName(IOperation operation)
    {
        switch (Unwrap(operation))
        {
            case IPropertyReferenceOperation { Property: { Name: "Name" } property } when property.ContainingType?.Name is "IIdentity" or "ClaimsIdentity" or "GenericIdentity":
                return "Identity.Name";
            case IPropertyReferenceOperation { Property.Name: "Value", Instance: IInvocationOperation { TargetMethod.Name: "FindFirst" } }:
                return "FindFirst(...).Value";
            case IInvocationOperation { TargetMethod.Name: "FindFirstValue" or "GetUserId" or "GetUserName" } invocation:
                return invocation.TargetMethod.Name + "(...)";
            case IConditionalAccessOperation access:
                return IdentityName(access.WhenNotNull);
            case IConditionalAccessInstanceOperation:
                return null;
            case ILocalReferenceOperation local when IsIdentityName(local.Local.Name):
                return local.Local.Name;
            case IParameterReferenceOperation parameter when IsIdentityName(parameter.Parameter.Name):
                return parameter.Parameter.Name;
            case IPropertyReferenceOperation property when IsIdentityName(property.Property.Name):
                return property.Property.Name;
            case IFieldReferenceOperation field when IsIdentityName(field.Field.Name):
                return field.Field.Name;
            default:
                return null;
        }
    }

    private static bool IsIdentityName(string name) => IdentityNames.Contains(string.Concat(IdentifierWords.Split(name)));

    private static bool ReturnsTrue(IOperation branch) =>
        branch.DescendantsAndSelf().Any(o => o is IReturnOperation { ReturnedValue: { } value } && Unwrap(value).ConstantValue is { HasValue: true, Value: true });

    /// <summary><c>return User.Identity.Name == "admin";</c> in an authorization method or a <c>RequireAssertion</c> lambda.</summary>
    private static void AnalyzeReturn(OperationAnalysisContext context)
    {
        var returned = (IReturnOperation)context.Operation;
        if (returned.ReturnedValue is not { Type.SpecialType: SpecialType.System_Boolean } value || HardCodedUser(value) is not { } hardCoded)
        {
            return;
        }

        // The method that returns it decides access (CanViewRecords, IsAuthorized), or it is a RequireAssertion lambda.
        var method = returned.Parent is IBlockOperation { Parent: IAnonymousFunctionOperation } or IAnonymousFunctionOperation ? null : context.ContainingSymbol as IMethodSymbol;
        if (InRequireAssertion(returned) || method is not null && IsAuthorizationName(method.Name) && !InAnonymousFunction(returned))
        {
            Report(context, hardCoded.Comparison,
                "Access is granted to a hard-coded user by '" + Text(hardCoded.Comparison) + "' (compares '" + hardCoded.Name + "' to a constant)");
        }
    }

    private static bool IsAuthorizationName(string name)
    {
        var words = IdentifierWords.Split(name);
        return words.Any(w => w is "authorize" or "authorized" or "authorization" or "access" or "allowed" or "permitted" or "permission" or "permissions") ||
               words.Length > 0 && words[0] is "can" or "may";
    }

    private static bool InAnonymousFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool InRequireAssertion(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IInvocationOperation { TargetMethod.Name: "RequireAssertion" })
            {
                return true;
            }
        }

        return false;
    }

    // ---- Handlers and assertions that always succeed, global anonymous filters -----------------------------------

    private static void AnalyzeInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name == "Succeed" && method.ContainingType?.Name == "AuthorizationHandlerContext")
        {
            if (context.ContainingSymbol is IMethodSymbol { Name: "HandleRequirementAsync" or "HandleAsync" } handler && IsUnconditional(invocation))
            {
                Report(context, invocation,
                    "'" + handler.ContainingType?.Name + "." + handler.Name + "' calls context.Succeed unconditionally, so every request meets the requirement");
            }
        }
        else if (method.Name == "RequireAssertion" && invocation.Arguments.Length > 0 && AlwaysTrue(invocation.Arguments[invocation.Arguments.Length - 1].Value))
        {
            Report(context, invocation, "The assertion of '" + Text(invocation) + "' is always true, so the policy admits every caller");
        }
    }

    /// <summary>No branch, loop (other than over the requirements), switch or try between the call and the start of its method.</summary>
    private static bool IsUnconditional(IOperation call)
    {
        for (var current = call.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IMethodBodyOperation:
                    return !current.DescendantsAndSelf().Any(o => o is IConditionalOperation or ISwitchOperation or ISwitchExpressionOperation or
                        IWhileLoopOperation or IForLoopOperation or ITryOperation or IConditionalAccessOperation or ICoalesceOperation);
                case IForEachLoopOperation loop when Unwrap(loop.Collection) is IPropertyReferenceOperation { Property.Name: "PendingRequirements" or "Requirements" }:
                case IBlockOperation:
                case IExpressionStatementOperation:
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool AlwaysTrue(IOperation argument)
    {
        var function = Unwrap(argument) switch
        {
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda,
            IAnonymousFunctionOperation lambda => lambda,
            _ => null,
        };
        if (function is null)
        {
            return false;
        }

        var returns = function.Body.DescendantsAndSelf().OfType<IReturnOperation>().ToList();
        return returns.Count > 0 && returns.All(r => r.ReturnedValue is { } value && Unwrap(value) switch
        {
            { ConstantValue: { HasValue: true, Value: true } } => true,
            IInvocationOperation { TargetMethod.Name: "FromResult" } fromResult =>
                fromResult.Arguments.Length == 1 && Unwrap(fromResult.Arguments[0].Value).ConstantValue is { HasValue: true, Value: true },
            _ => false,
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is INamedTypeSymbol { Name: "AllowAnonymousFilter" } type &&
            TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.AspNetCore"))
        {
            Report(context, creation, "A global AllowAnonymousFilter turns authorization off for every controller action and page");
        }
    }

    // ---- Helpers --------------------------------------------------------------------------------------------------

    private static void Report(OperationAnalysisContext context, IOperation at, string message) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.AuthorizationBypass, at.Syntax.GetLocation(), message));

    private static string Text(IOperation operation)
    {
        var text = string.Join(" ", operation.Syntax.ToString().Split(new[] { '\r', '\n', '\t', ' ' }, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 80 ? text : text.Substring(0, 77) + "...";
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }
}
