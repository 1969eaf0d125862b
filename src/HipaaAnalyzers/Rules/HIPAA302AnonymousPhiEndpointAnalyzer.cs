using System.Collections.Immutable;
using System.Linq;
using HipaaAnalyzers.AspNetCore;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA302: <c>[AllowAnonymous]</c>, <c>.AllowAnonymous()</c>, <c>AllowAnonymousToPage</c> or a global
/// <c>AllowAnonymousFilter</c> reaches an endpoint that returns or takes PHI; also when it is written in a region the
/// current build leaves out (<c>#if DEBUG</c> seen from a Release build), because the other configuration compiles it.
/// The diagnostic's additional locations are the anonymous overrides written in source.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA302AnonymousPhiEndpointAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.AnonymousPhiEndpoint);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(EndpointRule.GeneratedCode);
        EndpointRule.Register(context, endpoint =>
        {
            var authorization = endpoint.Endpoint.Authorization;
            string source;
            if (authorization.AllowsAnonymous)
            {
                source = authorization.Sources.FirstOrDefault(s => s.Contains("AllowAnonymous")) ?? "AllowAnonymous";
            }
            else if (!endpoint.DisabledAnonymous.IsEmpty)
            {
                source = "AllowAnonymous in an #if region this build leaves out";
            }
            else
            {
                return null;
            }

            var locations = authorization.AnonymousLocations.AddRange(endpoint.DisabledAnonymous);
            return Diagnostic.Create(
                Descriptors.AnonymousPhiEndpoint, endpoint.Location, locations, endpoint.Properties, endpoint.Name, endpoint.Phi, source);
        });
    }
}
