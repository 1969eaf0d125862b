using System;
using System.Linq;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Auditing;
using HipaaAnalyzers.Runtime.AspNetCore.Startup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HipaaAnalyzers.Runtime.AspNetCore;

/// <summary>Registers the HIPAA audit of PHI endpoints (45 CFR 164.312(b)).</summary>
/// <example>
/// <code>
/// builder.Services.AddSingleton&lt;IAuditSink&gt;(...);        // where events are stored
/// builder.Services.AddHipaaAudit(options =>
/// {
///     options.AuditAllEndpoints = true;
///     options.TrustedProxies.Add("10.0.0.0/8");
///     options.LocationHeaderName = "X-Client-Location";
/// });
/// </code>
/// </example>
public static class HipaaAspNetCoreAuditServiceCollectionExtensions
{
    /// <summary>
    /// Audits requests to endpoints marked with <see cref="AuditPhiAccessAttribute"/> or <c>.AuditPhiAccess()</c>
    /// (or every endpoint, with <see cref="HipaaAuditOptions.AuditAllEndpoints"/>). Installs the audit middleware in
    /// front of the application's pipeline, so no <c>app.Use...</c> call is needed, and notes authorization denials
    /// and their reasons. Each audited request produces exactly one event, stored through the registered
    /// <see cref="IAuditSink"/> before any byte of the response is sent.
    /// </summary>
    /// <param name="services">The service collection. An <see cref="IAuditSink"/> must be registered before the host starts.</param>
    /// <param name="configure">Sets the options; may be <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// When the host starts, before the server accepts a request, the sink is created (for the file sink this opens
    /// the log and loads the signing key), the options are validated and every endpoint is checked (audit marking,
    /// authorization policies that exist); any problem fails the start with one
    /// <see cref="HipaaStartupValidationException"/> that lists them all.
    /// </para>
    /// <para>
    /// Register a custom <see cref="IAuthorizationMiddlewareResultHandler"/> before calling this method: it is
    /// wrapped so that denials carry their reason. One registered later replaces the wrapper, and denied requests are
    /// then still audited, with the HTTP status as the reason.
    /// </para>
    /// </remarks>
    public static IServiceCollection AddHipaaAudit(this IServiceCollection services, Action<HipaaAuditOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<HipaaAuditOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(HipaaAuditMarker)))
        {
            return services;
        }

        services.AddSingleton<HipaaAuditMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ClientAddressResolver>();
        services.TryAddSingleton<AuditWriter>();
        services.AddLogging();
        HipaaStartupRegistration.Add(services);
        DecorateResultHandler(services);
        return services;
    }

    private static void DecorateResultHandler(IServiceCollection services)
    {
        ServiceDescriptor? existing = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler));
        Func<IServiceProvider, IAuthorizationMiddlewareResultHandler> inner = existing switch
        {
            null => _ => new AuthorizationMiddlewareResultHandler(),
            { ImplementationInstance: IAuthorizationMiddlewareResultHandler instance } => _ => instance,
            { ImplementationFactory: { } factory } => sp => (IAuthorizationMiddlewareResultHandler)factory(sp),
            { ImplementationType: { } type } => sp => (IAuthorizationMiddlewareResultHandler)ActivatorUtilities.CreateInstance(sp, type),
            _ => _ => new AuthorizationMiddlewareResultHandler(),
        };
        if (existing is not null)
        {
            services.Remove(existing);
        }

        services.AddSingleton<IAuthorizationMiddlewareResultHandler>(sp => new AuditingAuthorizationResultHandler(inner(sp)));
    }
}
