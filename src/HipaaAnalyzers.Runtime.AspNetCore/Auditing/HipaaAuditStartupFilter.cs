using System;
using HipaaAnalyzers.Runtime.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HipaaAnalyzers.Runtime.AspNetCore.Auditing;

/// <summary>Puts <see cref="HipaaAuditMiddleware"/> in front of the application's own pipeline.</summary>
internal sealed class HipaaAuditStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        => app =>
        {
            IServiceProviderIsService? registrations = app.ApplicationServices.GetService<IServiceProviderIsService>();
            if (registrations is not null && !registrations.IsService(typeof(IAuditSink)))
            {
                throw new InvalidOperationException(
                    "services.AddHipaaAudit(...) needs an IAuditSink service (for example the file audit sink) to store audit events.");
            }

            // Fail at startup, not on the first request, when the options are wrong.
            _ = app.ApplicationServices.GetRequiredService<AuditWriter>();
            app.UseMiddleware<HipaaAuditMiddleware>();
            next(app);
        };
}
