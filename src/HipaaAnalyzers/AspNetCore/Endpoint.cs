using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>How an endpoint is declared.</summary>
public enum EndpointKind
{
    /// <summary><c>app.MapGet(...)</c>, <c>group.MapPost(...)</c> and the other route handler methods.</summary>
    MinimalApi,

    /// <summary>A public action of an MVC or API controller.</summary>
    ControllerAction,

    /// <summary>A handler (<c>OnGet</c>, <c>OnPostAsync</c> ...) of a Razor Pages <c>PageModel</c>.</summary>
    PageHandler,
}

/// <summary>
/// One HTTP endpoint found in the code: its route, verbs, handler, and what the code says about its authorization and
/// audit. Built by <see cref="EndpointModel"/>.
/// </summary>
public sealed class Endpoint
{
    internal Endpoint(
        EndpointKind kind,
        ImmutableArray<string> verbs,
        string route,
        bool routeIsComplete,
        IMethodSymbol? handler,
        string handlerName,
        Location location,
        SecurityFacts facts,
        EndpointAuthorization authorization,
        EndpointAudit audit)
    {
        Facts = facts;
        Kind = kind;
        Verbs = verbs;
        Route = route;
        RouteIsComplete = routeIsComplete;
        Handler = handler;
        HandlerName = handlerName;
        Location = location;
        Authorization = authorization;
        Audit = audit;
    }

    public EndpointKind Kind { get; }

    /// <summary>GET, POST, ... in upper case; empty when the endpoint accepts any verb.</summary>
    public ImmutableArray<string> Verbs { get; }

    /// <summary>The route template with group prefixes and controller routes applied, starting with '/'.</summary>
    public string Route { get; }

    /// <summary>False when part of the route comes from code the model cannot see (a group passed in from elsewhere).</summary>
    public bool RouteIsComplete { get; }

    /// <summary>The action method, the handler method or the lambda; null when the handler is not a method (a variable).</summary>
    public IMethodSymbol? Handler { get; }

    /// <summary>"PatientsController.Get", "PatientEndpoints.GetPatient" or "lambda in Program".</summary>
    public string HandlerName { get; }

    /// <summary>The Map call of a minimal API endpoint, or the action method's declaration.</summary>
    public Location Location { get; }

    public EndpointAuthorization Authorization { get; }

    public EndpointAudit Audit { get; }

    /// <summary>"GET" or "GET, HEAD", or "ANY".</summary>
    public string VerbsText => Verbs.IsDefaultOrEmpty ? "ANY" : string.Join(", ", Verbs);

    public override string ToString() => VerbsText + " " + Route + " -> " + HandlerName;

    /// <summary>What the endpoint, its groups and its controller say, before application-wide settings apply.</summary>
    internal SecurityFacts Facts { get; }

    internal Endpoint With(EndpointAuthorization authorization, EndpointAudit audit) =>
        new(Kind, Verbs, Route, RouteIsComplete, Handler, HandlerName, Location, Facts, authorization, audit);
}

/// <summary>What the code says about who may call an endpoint.</summary>
public sealed class EndpointAuthorization
{
    internal EndpointAuthorization(
        bool allowsAnonymous,
        bool requiresAuthorization,
        ImmutableArray<string> policies,
        ImmutableArray<string> roles,
        bool hasInlinePolicy,
        bool usesFallbackPolicy,
        ImmutableArray<string> sources,
        bool? authenticationOnly = null,
        ImmutableArray<Location> anonymousLocations = default,
        ImmutableArray<string> customRequirements = default,
        ImmutableArray<string> handlerChecks = default)
    {
        HandlerChecks = handlerChecks.IsDefault ? ImmutableArray<string>.Empty : handlerChecks;
        CustomRequirements = customRequirements.IsDefault ? ImmutableArray<string>.Empty : customRequirements;
        AnonymousLocations = anonymousLocations.IsDefault ? ImmutableArray<Location>.Empty : anonymousLocations;
        _authenticationOnly = authenticationOnly;
        AllowsAnonymous = allowsAnonymous;
        RequiresAuthorization = requiresAuthorization;
        Policies = policies;
        Roles = roles;
        HasInlinePolicy = hasInlinePolicy;
        UsesFallbackPolicy = usesFallbackPolicy;
        Sources = sources;
    }

    private readonly bool? _authenticationOnly;

    /// <summary>Where the <c>[AllowAnonymous]</c> attributes and <c>.AllowAnonymous()</c> calls that apply are written.</summary>
    public ImmutableArray<Location> AnonymousLocations { get; }

    /// <summary><c>[AllowAnonymous]</c> or <c>.AllowAnonymous()</c> applies; it wins over every authorization requirement.</summary>
    public bool AllowsAnonymous { get; }

    /// <summary><c>[Authorize]</c>, <c>.RequireAuthorization(...)</c> or a global <c>AuthorizeFilter</c> applies.</summary>
    public bool RequiresAuthorization { get; }

    /// <summary>Named policies, in the order found.</summary>
    public ImmutableArray<string> Policies { get; }

    /// <summary>Roles from <c>[Authorize(Roles = ...)]</c> and inline policies (<c>RequireRole</c>).</summary>
    public ImmutableArray<string> Roles { get; }

    /// <summary>
    /// Requirements the model cannot read but assumes narrow: "policy from [HasPermission]" (a custom
    /// <c>AuthorizeAttribute</c> that computes its policy), "authorization filter [RequireClinicianAccess]".
    /// </summary>
    public ImmutableArray<string> CustomRequirements { get; }

    /// <summary>
    /// Checks the handler makes in its own code, itself or in one method it calls: "checks IsInRole in the handler",
    /// "calls IAuthorizationService.AuthorizeAsync in CanAccessAppointmentAsync", "returns Forbid() under a condition in
    /// the handler". They narrow who may call an endpoint that requires a signed-in user; they do not make an
    /// endpoint protected (<see cref="IsProtected"/>), since they are not ASP.NET Core authorization.
    /// </summary>
    public ImmutableArray<string> HandlerChecks { get; }

    /// <summary>A policy built in code (<c>RequireAuthorization(policy => ...)</c>, an <c>AuthorizationPolicy</c> value).</summary>
    public bool HasInlinePolicy { get; }

    /// <summary>Nothing on the endpoint decides, and the application sets a fallback policy, which then applies.</summary>
    public bool UsesFallbackPolicy { get; }

    /// <summary>Where each requirement comes from: "[Authorize] on PatientsController", ".RequireAuthorization() on group /patients".</summary>
    public ImmutableArray<string> Sources { get; }

    /// <summary>Requires a signed-in user (by the endpoint or the fallback policy) and does not allow anonymous callers.</summary>
    public bool IsProtected => !AllowsAnonymous && (RequiresAuthorization || UsesFallbackPolicy);

    /// <summary>
    /// Protected by authentication alone: no policy, role or inline policy narrows who may call it, and neither does
    /// the default policy (for <c>[Authorize]</c>), the fallback policy that applies, or a check in the handler.
    /// </summary>
    public bool IsAuthenticationOnly =>
        _authenticationOnly ??
        (IsProtected && Policies.IsEmpty && Roles.IsEmpty && CustomRequirements.IsEmpty && HandlerChecks.IsEmpty && !HasInlinePolicy && !UsesFallbackPolicy);

    /// <summary>
    /// "anonymous", "policy PatientsRead; roles Doctor, Nurse", "policy from [HasPermission]", "authorization filter
    /// [RequireClinicianAccess]", "authenticated user (default policy)", "fallback policy", "none", followed by the
    /// checks in the handler ("authenticated user (default policy); checks IsInRole in the handler").
    /// </summary>
    public string Describe()
    {
        if (AllowsAnonymous)
        {
            return "anonymous";
        }

        var required = DescribeRequirements();
        return HandlerChecks.IsEmpty ? required : required + "; " + string.Join("; ", HandlerChecks);
    }

    private string DescribeRequirements()
    {
        if (RequiresAuthorization)
        {
            var parts = ImmutableArray.CreateBuilder<string>();
            if (!Policies.IsEmpty)
            {
                parts.Add((Policies.Length == 1 ? "policy " : "policies ") + string.Join(", ", Policies));
            }

            if (!Roles.IsEmpty)
            {
                parts.Add((Roles.Length == 1 ? "role " : "roles ") + string.Join(", ", Roles));
            }

            if (HasInlinePolicy && Roles.IsEmpty)
            {
                parts.Add("inline policy");
            }

            parts.AddRange(CustomRequirements);

            return parts.Count == 0 ? "authenticated user (default policy)" : string.Join("; ", parts);
        }

        return UsesFallbackPolicy ? "fallback policy" : "none";
    }

    public override string ToString() => Describe();

    internal static readonly EndpointAuthorization None = new(
        false, false, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, false, false, ImmutableArray<string>.Empty);
}

/// <summary>
/// Whether access through an endpoint is written to the audit trail: <c>[AuditPhiAccess]</c>, <c>.AuditPhiAccess()</c>,
/// an audit filter or middleware, a handler that calls an audit service, or (for writes) a <c>SaveChanges</c> override
/// that writes audit rows.
/// </summary>
public sealed class EndpointAudit
{
    internal EndpointAudit(bool audited, string? action, ImmutableArray<string> sources)
    {
        IsAudited = audited;
        Action = action;
        Sources = sources;
    }

    public bool IsAudited { get; }

    /// <summary>The audit action named in code (Viewed, Modified, Deleted), when one is.</summary>
    public string? Action { get; }

    /// <summary>
    /// "[AuditPhiAccess] on PatientsController.Get", ".AuditPhiAccess() on group /patients", "global filter AuditFilter in
    /// Program.cs:12", "middleware AuditMiddleware in Program.cs:20", "calls IPHIAuditService.PublishAccessAsync",
    /// "SaveChangesAsync override in ClinicDbContext writes AuditLog (writes only)".
    /// </summary>
    public ImmutableArray<string> Sources { get; }

    public string Describe() => !IsAudited ? "not audited" : Action is null ? "audited" : "audited (" + Action + ")";

    public override string ToString() => Describe();

    internal static readonly EndpointAudit NotAudited = new(false, null, ImmutableArray<string>.Empty);
}

/// <summary>Every endpoint of a compilation and the application-wide settings that apply to them.</summary>
public sealed class EndpointInventory
{
    internal EndpointInventory(ImmutableArray<Endpoint> endpoints, AppConventions conventions)
    {
        Endpoints = endpoints;
        Conventions = conventions;
    }

    /// <summary>Sorted by route, then verb.</summary>
    public ImmutableArray<Endpoint> Endpoints { get; }

    public AppConventions Conventions { get; }

    internal static ImmutableArray<Endpoint> Sort(System.Collections.Generic.IEnumerable<Endpoint> endpoints) =>
        endpoints
            .OrderBy(e => e.Route, System.StringComparer.OrdinalIgnoreCase)
            .ThenBy(e => e.VerbsText, System.StringComparer.Ordinal)
            .ThenBy(e => e.HandlerName, System.StringComparer.Ordinal)
            .ToImmutableArray();
}
