using System.Collections.Immutable;
using HipaaAnalyzers.AspNetCore;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA301: an endpoint that returns or takes PHI and that nothing protects: no <c>[Authorize]</c> (on the action, the
/// controller or a base class), no <c>RequireAuthorization</c> (on the endpoint, its groups or <c>MapControllers()</c>),
/// no global <c>AuthorizeFilter</c>, no Razor Pages authorization convention and no fallback policy.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA301PhiEndpointWithoutAuthorizationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.PhiEndpointWithoutAuthorization);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(EndpointRule.GeneratedCode);
        EndpointRule.Register(context, endpoint =>
        {
            var authorization = endpoint.Endpoint.Authorization;
            // An endpoint that allows anonymous callers on purpose is HIPAA302's finding.
            return authorization.IsProtected || authorization.AllowsAnonymous
                ? null
                : Diagnostic.Create(
                    Descriptors.PhiEndpointWithoutAuthorization, endpoint.Location, endpoint.Properties, endpoint.Name, endpoint.Phi);
        });
    }
}
