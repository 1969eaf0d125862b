using System.Collections.Immutable;
using HipaaAnalyzers.AspNetCore;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA401: an endpoint that returns or takes PHI records no audit event: no <c>[AuditPhiAccess]</c> (on the action,
/// the controller, a base class or the page model), no <c>.AuditPhiAccess()</c> (on the endpoint, its groups,
/// <c>MapControllers()</c> or <c>MapRazorPages()</c>), no <c>AuditAllEndpoints</c> option, no audit filter or
/// middleware, no call to an audit service from the handler (or one method it calls) and, for an endpoint that only
/// writes, no <c>SaveChanges</c> override or save interceptor that writes audit rows. The endpoint model decides.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA401PhiEndpointWithoutAuditAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PhiEndpointWithoutAudit);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(EndpointRule.GeneratedCode);
        EndpointRule.Register(context, endpoint =>
            endpoint.Endpoint.Audit.IsAudited
                ? null
                : Diagnostic.Create(Descriptors.PhiEndpointWithoutAudit, endpoint.Location, endpoint.Properties, endpoint.Name, endpoint.Phi));
    }
}
