using System.Collections.Immutable;
using System.Threading;
using HipaaAnalyzers.AspNetCore;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA902: an endpoint uses a runtime feature the application never registers, so it fails on every request instead
/// of protecting anything: <c>[AuditPhiAccess]</c> or <c>.AuditPhiAccess()</c> without <c>services.AddHipaaAudit()</c>,
/// or a named authorization policy (<c>RequireAuthorization("view:patients")</c>, <c>[Authorize(Policy = "...")]</c>)
/// that nothing defines, or <c>[Encrypted]</c> on an entity of a <c>DbContext</c> the startup registers without the
/// runtime's <c>UseFieldEncryption(...)</c>, which stores the column in plain text. Judged only in a compilation that builds a host (a library's endpoints are registered by the
/// app that hosts them), and silent wherever the registrations cannot be read (see <see cref="RuntimeRegistrations"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>"audit" or "policy": which registration is missing.</summary>
    public const string KindProperty = "Kind";

    public const string AuditKind = "audit";

    public const string PolicyKind = "policy";

    public const string EncryptionKind = "encryption";

    /// <summary>The policy name, for <see cref="PolicyKind"/>.</summary>
    public const string PolicyProperty = "Policy";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.RuntimeFeatureWithoutRegistration);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // The references' names only: a type lookup here would build the declaration table of every file of a new
            // compilation (one per keystroke) before the edited file is bound.
            var compilation = start.Compilation;
            if (!ReferencedAssemblies.ContainsPrefix(compilation, "Microsoft.AspNetCore"))
            {
                return;
            }

            // Computed when the first use is met: most compilations never pay for it.
            var registrations = new System.Lazy<RuntimeRegistrations>(
                () => RuntimeRegistrations.Compute(compilation, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);

            start.RegisterOperationAction(operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                var method = invocation.TargetMethod;
                if (method.Name == "AuditPhiAccess" && RuntimeRegistrations.IsAuditConvention(method))
                {
                    if (registrations.Value is { HasStartup: true, AuditRegistered: false })
                    {
                        operation.ReportDiagnostic(AuditDiagnostic(NameLocation(invocation), ".AuditPhiAccess()"));
                    }

                    return;
                }

                if (method.Name != "RequireAuthorization")
                {
                    return;
                }

                foreach (var (name, argument) in RuntimeRegistrations.PoliciesOf(invocation))
                {
                    if (registrations.Value is { HasStartup: true } known && !known.DefinesPolicy(name))
                    {
                        operation.ReportDiagnostic(PolicyDiagnostic(argument.Syntax.GetLocation(), name));
                    }
                }
            }, OperationKind.Invocation);

            start.RegisterSymbolAction(symbol =>
            {
                foreach (var attribute in symbol.Symbol.GetAttributes())
                {
                    if (attribute.ApplicationSyntaxReference is not { } reference)
                    {
                        continue;
                    }

                    if (RuntimeRegistrations.IsAuditAttribute(attribute.AttributeClass))
                    {
                        if (registrations.Value is { HasStartup: true, AuditRegistered: false })
                        {
                            symbol.ReportDiagnostic(AuditDiagnostic(reference.GetSyntax(symbol.CancellationToken).GetLocation(), "[AuditPhiAccess]"));
                        }
                    }
                    else if (RuntimeRegistrations.PolicyOf(attribute) is { } policy &&
                             registrations.Value is { HasStartup: true } known && !known.DefinesPolicy(policy))
                    {
                        symbol.ReportDiagnostic(PolicyDiagnostic(reference.GetSyntax(symbol.CancellationToken).GetLocation(), policy));
                    }
                }
            }, SymbolKind.NamedType, SymbolKind.Method);

            if (ReferencedAssemblies.ContainsPrefix(compilation, "Microsoft.EntityFrameworkCore"))
            {
                start.RegisterSymbolAction(symbol =>
                {
                    var property = (IPropertySymbol)symbol.Symbol;
                    foreach (var attribute in property.GetAttributes())
                    {
                        if (attribute.AttributeClass is not { Name: "EncryptedAttribute" } encrypted ||
                            encrypted.ContainingNamespace?.ToDisplayString() != "HipaaAnalyzers.Runtime" ||
                            attribute.ApplicationSyntaxReference is not { } reference)
                        {
                            continue;
                        }

                        if (registrations.Value is { HasStartup: true, DbContextRegistered: true, FieldEncryptionConfigured: false } &&
                            Persistence.EntityModel.For(compilation).FindStoringContext(property.ContainingType, symbol.CancellationToken) is not null)
                        {
                            symbol.ReportDiagnostic(Diagnostic.Create(
                                Descriptors.RuntimeFeatureWithoutRegistration,
                                reference.GetSyntax(symbol.CancellationToken).GetLocation(),
                                ImmutableDictionary<string, string?>.Empty.Add(KindProperty, EncryptionKind),
                                "[Encrypted] is used, but no DbContext is configured with UseFieldEncryption(...)",
                                "the column is stored in plain text"));
                        }
                    }
                }, SymbolKind.Property);
            }
        });
    }

    private static Diagnostic AuditDiagnostic(Location location, string use) => Diagnostic.Create(
        Descriptors.RuntimeFeatureWithoutRegistration,
        location,
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, AuditKind),
        use + " is used, but services.AddHipaaAudit() is never called",
        "every request to the endpoint fails rather than go unaudited");

    private static Diagnostic PolicyDiagnostic(Location location, string policy) => Diagnostic.Create(
        Descriptors.RuntimeFeatureWithoutRegistration,
        location,
        ImmutableDictionary<string, string?>.Empty.Add(KindProperty, PolicyKind).Add(PolicyProperty, policy),
        "The authorization policy '" + policy + "' is not defined (no AddPolicy, access policy roles or policy provider names it)",
        "every request to the endpoint fails with an error instead of an answer");

    /// <summary>The method name of <c>x.AuditPhiAccess()</c>.</summary>
    private static Location NameLocation(IInvocationOperation invocation) =>
        invocation.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax
        {
            Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access,
        }
            ? access.Name.GetLocation()
            : invocation.Syntax.GetLocation();
}
