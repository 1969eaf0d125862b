using System.Collections.Immutable;
using HipaaAnalyzers.AspNetCore;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA303: an endpoint that returns or takes PHI is protected by authentication alone: <c>[Authorize]</c> or
/// <c>RequireAuthorization()</c> without a policy or roles at any level (and a default policy that only requires an
/// authenticated user), a custom <c>AuthorizeAttribute</c> that sets neither, or, with nothing on the endpoint, a
/// fallback policy or global filter that only requires one. A custom attribute's policy the model cannot read, an
/// authorization filter and a check in the handler's own code (<c>user.IsInRole(...)</c>, <c>AuthorizeAsync(...)</c>,
/// a guarded <c>Forbid()</c>; see <see cref="EndpointAuthorization.HandlerChecks"/>) are assumed to narrow.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA303PhiEndpointWithoutPolicyAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PhiEndpointWithoutPolicy);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(EndpointRule.GeneratedCode);
        EndpointRule.Register(context, endpoint =>
            endpoint.Endpoint.Authorization.IsAuthenticationOnly
                ? Diagnostic.Create(Descriptors.PhiEndpointWithoutPolicy, endpoint.Location, endpoint.Properties, endpoint.Name, endpoint.Phi)
                : null);
    }
}
