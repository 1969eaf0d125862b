using System;
using System.Linq;
using HipaaAnalyzers.Runtime.AspNetCore.Auditing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HipaaAnalyzers.Runtime.AspNetCore.Startup;

/// <summary>
/// Registered by <c>AddHipaaAudit</c> and <c>AddHipaaAccessPolicies...</c>. When the host builds the request pipeline
/// (in <c>GenericWebHostService.StartAsync</c>, before the server starts listening), it puts the audit middleware in
/// front of the application's pipeline (when the audit is registered), lets the application configure its pipeline,
/// which adds every endpoint data source (<c>MapControllers</c>, minimal APIs mapped after <c>builder.Build()</c>,
/// route groups, Razor Pages) to the routing options, and then checks the services and every endpoint. Any problem
/// fails the host start with one <see cref="HipaaStartupValidationException"/>.
/// </summary>
internal sealed class HipaaStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        => app =>
        {
            IServiceProvider services = app.ApplicationServices;
            StartupProblems problems = new();
            bool audit = HipaaStartupValidator.IsRegistered(services, typeof(HipaaAuditMarker));
            if (audit)
            {
                HipaaStartupValidator.CheckAuditServices(services, problems);

                // The middleware is created when the pipeline is built, after this filter: if a problem was found,
                // the exception below stops the start first.
                app.UseMiddleware<HipaaAuditMiddleware>();
            }

            next(app);
            HipaaStartupValidator.CheckEndpoints(services, audit, problems);
            problems.ThrowIfAny();
        };
}

/// <summary>Registered by every registration that installs <see cref="HipaaStartupFilter"/>.</summary>
internal sealed class HipaaStartupMarker
{
}

/// <summary>Installs <see cref="HipaaStartupFilter"/> once, whichever registrations call it.</summary>
internal static class HipaaStartupRegistration
{
    public static void Add(IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(HipaaStartupMarker)))
        {
            services.AddSingleton<HipaaStartupMarker>();
            services.AddLogging();
        }

        // First, so that the audit middleware is in front of whatever other startup filters add; moved there again
        // by each registration.
        ServiceDescriptor? existing = services.FirstOrDefault(d => d.ServiceType == typeof(IStartupFilter) && d.ImplementationType == typeof(HipaaStartupFilter));
        if (existing is not null)
        {
            services.Remove(existing);
        }

        services.Insert(0, ServiceDescriptor.Transient<IStartupFilter, HipaaStartupFilter>());
    }
}
