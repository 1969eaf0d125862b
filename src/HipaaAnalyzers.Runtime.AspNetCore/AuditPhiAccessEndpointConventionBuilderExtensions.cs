using System;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Auditing;
using HipaaAnalyzers.Runtime.AspNetCore.Startup;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HipaaAnalyzers.Runtime.AspNetCore;

/// <summary>
/// <c>.AuditPhiAccess(...)</c> for minimal API endpoints, route groups, <c>MapControllers()</c> and any other
/// endpoint convention builder: every request to the endpoints is audited like <see cref="AuditPhiAccessAttribute"/>.
/// </summary>
/// <example>
/// <code>
/// app.MapGet("/api/patients/{id}", (int id, PatientStore store) => store.Find(id))
///    .RequireAuthorization("view:patients")
///    .AuditPhiAccess(AuditAction.Viewed);
///
/// var records = app.MapGroup("/api/records").RequireAuthorization("edit:records").AuditPhiAccess();
/// app.MapControllers().AuditPhiAccess();
/// </code>
/// </example>
public static class AuditPhiAccessEndpointConventionBuilderExtensions
{
    /// <summary>Audits every request to the endpoints with the given action.</summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint, route group or controller endpoints.</param>
    /// <param name="action">What requests to these endpoints do to PHI.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <remarks>
    /// The innermost convention wins (an endpoint's over its group's); an <see cref="AuditPhiAccessAttribute"/>
    /// declared on a controller, action or handler wins over any convention. Without <c>AddHipaaAudit</c>, the host
    /// fails to start with <see cref="HipaaStartupValidationException"/> when <c>AddHipaaAccessPolicies...</c> was
    /// called, and building the endpoint throws <see cref="InvalidOperationException"/> when neither was.
    /// </remarks>
    public static TBuilder AuditPhiAccess<TBuilder>(this TBuilder builder, AuditAction action)
        where TBuilder : IEndpointConventionBuilder
        => Add(builder, action);

    /// <summary>
    /// Audits every request to the endpoints with the action taken from the HTTP method: GET and HEAD are
    /// <see cref="AuditAction.Viewed"/>, POST, PUT and PATCH <see cref="AuditAction.Modified"/>, DELETE
    /// <see cref="AuditAction.Deleted"/>, any other method <see cref="AuditAction.Viewed"/>.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint, route group or controller endpoints.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static TBuilder AuditPhiAccess<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => Add(builder, action: null);

    private static TBuilder Add<TBuilder>(TBuilder builder, AuditAction? action)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        AuditPhiAccessAttribute metadata = AuditPhiAccessAttribute.ForConvention(action);
        builder.Add(endpoint =>
        {
            // With AddHipaaAudit, or with any registration that runs the startup checks (which then report every
            // audited endpoint at once), the metadata is all that is needed. With none of them nothing of this package
            // runs at startup; fail when the endpoint is built rather than serve PHI without an audit trail.
            IServiceProviderIsService? registrations = endpoint.ApplicationServices.GetService<IServiceProviderIsService>();
            if (registrations is not null && !registrations.IsService(typeof(HipaaAuditMarker)) && !registrations.IsService(typeof(HipaaStartupMarker)))
            {
                throw new InvalidOperationException(
                    $"Endpoint '{endpoint.DisplayName}' uses AuditPhiAccess() but services.AddHipaaAudit(...) was not called; " +
                    "nothing would write its audit events.");
            }

            endpoint.Metadata.Add(metadata);
        });
        return builder;
    }
}
