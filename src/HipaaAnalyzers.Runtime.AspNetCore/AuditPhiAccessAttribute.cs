using System;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Auditing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Filters;

namespace HipaaAnalyzers.Runtime.AspNetCore;

/// <summary>
/// Audits every request to a controller or action that reads or changes PHI (45 CFR 164.312(b)): one
/// <see cref="AuditEvent"/> per request, written to the registered <see cref="IAuditSink"/> before the response is
/// sent. Requires <c>services.AddHipaaAudit()</c>; no other registration.
/// </summary>
/// <remarks>
/// <para>
/// On a controller the attribute covers every action; an attribute on an action overrides the controller's. A
/// declared attribute also overrides <see cref="AuditPhiAccessEndpointConventionBuilderExtensions.AuditPhiAccess{TBuilder}(TBuilder, AuditAction)"/>
/// conventions (for example one applied to <c>MapControllers()</c>). The attribute also works on minimal API
/// handlers (<c>app.MapGet("/p/{id}", [AuditPhiAccess(AuditAction.Viewed)] (int id) => ...)</c>).
/// </para>
/// <para>
/// As an MVC action filter it fixes, when the action runs, which action is recorded, and it fails the request
/// when <c>AddHipaaAudit</c> was not called rather than serving PHI without an audit trail. When
/// <c>AddHipaaAccessPolicies...</c> was called without <c>AddHipaaAudit</c>, the host fails to start instead
/// (<see cref="HipaaStartupValidationException"/>). The event itself is
/// written by the audit middleware that <c>AddHipaaAudit</c> installs, so requests denied before the action runs
/// (authorization) and responses produced by exception handlers are audited too.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [Authorize(Policy = "view:patients")]
/// [AuditPhiAccess(AuditAction.Viewed)]
/// public sealed class PatientsController : ControllerBase
/// {
///     [HttpGet("{id}")] public Patient Get(int id) => ...;
///
///     [HttpDelete("{id}"), AuditPhiAccess(AuditAction.Deleted)]
///     public IActionResult Delete(int id) => ...;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class AuditPhiAccessAttribute : Attribute, IAsyncActionFilter, IOrderedFilter
{
    /// <summary>Audits with the given action.</summary>
    /// <param name="action">What the request does to PHI.</param>
    public AuditPhiAccessAttribute(AuditAction action)
    {
        Action = action;
    }

    /// <summary>
    /// Audits with the action taken from the HTTP method: GET and HEAD are <see cref="AuditAction.Viewed"/>,
    /// POST, PUT and PATCH <see cref="AuditAction.Modified"/>, DELETE <see cref="AuditAction.Deleted"/>; any other
    /// method is recorded as <see cref="AuditAction.Viewed"/>.
    /// </summary>
    public AuditPhiAccessAttribute()
    {
    }

    private AuditPhiAccessAttribute(AuditAction? action, bool fromConvention)
    {
        Action = action;
        FromConvention = fromConvention;
    }

    /// <summary>The recorded action, or <see langword="null"/> when it is taken from the HTTP method.</summary>
    public AuditAction? Action { get; }

    /// <summary>
    /// The filter order. The filter runs before other action filters (<see cref="int.MinValue"/> + 1000) so that
    /// the action is fixed even when a later filter short-circuits.
    /// </summary>
    public int Order => int.MinValue + 1000;

    /// <summary>True for metadata added by an endpoint convention rather than declared on code.</summary>
    internal bool FromConvention { get; }

    internal static AuditPhiAccessAttribute ForConvention(AuditAction? action) => new(action, fromConvention: true);

    /// <summary>Records which action this request is audited as, then runs the action.</summary>
    /// <param name="context">The action context.</param>
    /// <param name="next">The rest of the pipeline.</param>
    /// <returns>A task that completes when the action and the filters after it have run.</returns>
    /// <exception cref="InvalidOperationException"><c>AddHipaaAudit</c> was not called, so nothing would write the event.</exception>
    public Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        AuditScope scope = http.Features.Get<AuditScope>() ?? throw new InvalidOperationException(
            "[AuditPhiAccess] is applied but the HIPAA audit middleware is not running: call services.AddHipaaAudit(...) " +
            "and register an IAuditSink. The request is refused so that PHI is not served without an audit trail.");
        AuditPhiAccessAttribute effective = AuditMetadata.Find(context.ActionDescriptor.EndpointMetadata) ?? this;
        scope.Arm(AuditMetadata.ActionFor(effective, http.Request.Method), http.GetEndpoint());
        return next();
    }
}
