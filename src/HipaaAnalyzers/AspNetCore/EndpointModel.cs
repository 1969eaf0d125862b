using HipaaAnalyzers.Infrastructure;
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// The HTTP endpoints of one compilation, read from the code: minimal API route handlers (including route groups and
/// their conventions) and controller actions, with what decides their authorization (<c>[Authorize]</c>,
/// <c>[AllowAnonymous]</c>, <c>RequireAuthorization</c>, <c>AllowAnonymous()</c>, a fallback policy, a global
/// <c>AuthorizeFilter</c>, a custom <c>AuthorizeAttribute</c> or authorization filter) and their audit
/// (<c>[AuditPhiAccess]</c>, <c>.AuditPhiAccess()</c>, an audit filter or middleware, a handler that calls an audit
/// service, a <c>SaveChanges</c> override or interceptor that writes audit rows).
/// </summary>
/// <remarks>
/// Everything is read from IOperation trees and symbols: a Map call's route, verb and handler come from its
/// arguments, group prefixes and conventions from the receiver chain and the locals of the same body, controller routes
/// from attributes. Analyzers use the per-invocation and per-type methods from operation and symbol actions, and
/// <see cref="AppConventions.Builder"/> for the application-wide settings; tools call <see cref="Discover(AnalyzerOptions, CancellationToken)"/>.
/// </remarks>
public sealed class EndpointModel
{
    private const int MaxScopeDepth = 8;

    private static readonly ConditionalWeakTable<Compilation, EndpointModel> Cache = new();

    private readonly ConcurrentDictionary<PhiOptions, AuditModel> _audits = new();

    private readonly ConcurrentDictionary<IMethodSymbol, AuthorizeConstructor> _authorizeConstructors = new(SymbolEqualityComparer.Default);

    private EndpointModel(Compilation compilation)
    {
        Compilation = compilation;
        // The referenced assemblies first: their names are kept across the IDE's compilations, while a type lookup on a
        // new compilation merges the declarations of every file, once per keystroke.
        _isAspNetCore = new Lazy<bool>(() =>
            ReferencedAssemblies.Contains(compilation, "Microsoft.AspNetCore.Routing") ||
            ReferencedAssemblies.Contains(compilation, "Microsoft.AspNetCore.Mvc.Core") ||
            compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Routing.IEndpointRouteBuilder") is not null ||
            compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.ControllerBase") is not null);
    }

    private readonly Lazy<bool> _isAspNetCore;

    public Compilation Compilation { get; }

    /// <summary>
    /// The compilation references ASP.NET Core routing or MVC; without them there are no endpoints. Resolved on first
    /// use, not when the model is created: the first lookup by metadata name merges every declaration of the compilation.
    /// </summary>
    public bool IsAspNetCore => _isAspNetCore.Value;

    public static EndpointModel For(Compilation compilation) => Cache.GetValue(compilation, c => new EndpointModel(c));

    /// <summary>
    /// The audit model under the options of <paramref name="tree"/> (<c>hipaa_analyzers.audit_types</c>): code is
    /// judged with the options of the file it is written in. Without options, only names count.
    /// </summary>
    internal AuditModel AuditFor(AnalyzerOptions? options, SyntaxTree? tree)
    {
        var phiOptions = options is null || tree is null ? PhiOptions.Default : PhiCompilationContext.For(Compilation).GetOptions(options, tree);
        return _audits.GetOrAdd(phiOptions, o => new AuditModel(Compilation, o.AuditTypes));
    }

    /// <summary>
    /// Every endpoint of the compilation with application-wide settings applied. Walks each member body's operation
    /// tree once; a route group passed to a method of the same compilation gets the prefix of each call site.
    /// </summary>
    public EndpointInventory Discover(CancellationToken cancellationToken) => Discover(null, cancellationToken);

    /// <summary>
    /// Every endpoint of the compilation with application-wide settings applied, reading <c>hipaa_analyzers.*</c>
    /// options (<c>audit_types</c>) from <paramref name="options"/>.
    /// </summary>
    public EndpointInventory Discover(AnalyzerOptions? options, CancellationToken cancellationToken)
    {
        if (!IsAspNetCore)
        {
            return new EndpointInventory(ImmutableArray<Endpoint>.Empty, AppConventions.Empty);
        }

        var conventions = new AppConventions.Builder();
        var mapCalls = new List<IInvocationOperation>();
        var callSites = new Dictionary<IMethodSymbol, List<IInvocationOperation>>(SymbolEqualityComparer.Default);
        foreach (var tree in Compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = Compilation.GetSemanticModel(tree);
            foreach (var body in OperationRoots(model, cancellationToken))
            {
                if (IsSaveChangesOverride(body.Syntax) && model.GetDeclaredSymbol(body.Syntax, cancellationToken) is IMethodSymbol save)
                {
                    CollectDeclaration(save, conventions, options, cancellationToken);
                }

                foreach (var operation in body.DescendantsAndSelf())
                {
                    switch (operation)
                    {
                        case IInvocationOperation invocation:
                            if (IsEndpointMap(invocation.TargetMethod))
                            {
                                mapCalls.Add(invocation);
                            }
                            else if (CodeOrigin.IsDeclaredIn(invocation.TargetMethod.OriginalDefinition, Compilation) &&
                                     invocation.TargetMethod.Parameters.Any(p => IsRouteBuilderType(p.Type)))
                            {
                                var target = invocation.TargetMethod.OriginalDefinition;
                                if (!callSites.TryGetValue(target, out var list))
                                {
                                    callSites[target] = list = new List<IInvocationOperation>();
                                }

                                list.Add(invocation);
                            }

                            CollectAppConvention(invocation, conventions, options, cancellationToken);
                            break;
                        case ISimpleAssignmentOperation assignment:
                            CollectAppConvention(assignment, conventions, options, cancellationToken);
                            break;
                    }
                }
            }
        }

        var app = conventions.ToConventions();
        var endpoints = new List<Endpoint>();
        Func<IMethodSymbol, IReadOnlyList<IInvocationOperation>?> findCallers =
            method => callSites.TryGetValue(method.OriginalDefinition, out var list) ? list : null;
        foreach (var call in mapCalls)
        {
            endpoints.AddRange(GetMinimalApiEndpoints(call, findCallers, options, app, cancellationToken));
        }

        foreach (var type in SourceTypes.Of(Compilation, cancellationToken))
        {
            if (IsController(type))
            {
                endpoints.AddRange(GetControllerActions(type, options, app, cancellationToken));
            }
            else if (IsPageModel(type))
            {
                endpoints.AddRange(GetPageHandlers(type, options, app, cancellationToken));
            }
        }

        return new EndpointInventory(EndpointInventory.Sort(endpoints.Select(app.Apply)), app);
    }

    /// <summary>
    /// The endpoints one Map call declares (MapGet, MapPost, MapPut, MapDelete, MapPatch, MapMethods, Map, MapFallback),
    /// before application-wide settings: usually one; none when <paramref name="invocation"/> maps nothing.
    /// </summary>
    public ImmutableArray<Endpoint> GetMinimalApiEndpoints(IInvocationOperation invocation) => GetMinimalApiEndpoints(invocation, (Func<IMethodSymbol, IReadOnlyList<IInvocationOperation>?>?)null);

    /// <summary>
    /// The endpoints one Map call declares; <paramref name="findCallers"/> lists the calls of a method of this
    /// compilation, so a route group passed in as a parameter gets the prefix and conventions of each caller.
    /// </summary>
    public ImmutableArray<Endpoint> GetMinimalApiEndpoints(IInvocationOperation invocation, Func<IMethodSymbol, IReadOnlyList<IInvocationOperation>?>? findCallers) =>
        GetMinimalApiEndpoints(invocation, findCallers, null, null);

    /// <summary>
    /// The endpoints one Map call declares, with the options of its file (<c>hipaa_analyzers.audit_types</c>).
    /// <paramref name="conventions"/>, when known, saves looking for audit calls in a handler that an application-wide
    /// setting audits anyway, and says which classes implement the services a handler calls.
    /// </summary>
    public ImmutableArray<Endpoint> GetMinimalApiEndpoints(
        IInvocationOperation invocation,
        Func<IMethodSymbol, IReadOnlyList<IInvocationOperation>?>? findCallers,
        AnalyzerOptions? options,
        AppConventions? conventions,
        CancellationToken cancellationToken = default) =>
        IsEndpointMap(invocation.TargetMethod)
            ? MinimalApiEndpoints(invocation, findCallers, AuditFor(options, invocation.Syntax.SyntaxTree), conventions, cancellationToken).ToImmutableArray()
            : ImmutableArray<Endpoint>.Empty;

    /// <summary>The actions of a controller, before application-wide settings.</summary>
    public ImmutableArray<Endpoint> GetControllerActions(INamedTypeSymbol controller) => GetControllerActions(controller, null, null);

    /// <summary>The actions of a controller, before application-wide settings, with the options of its file.</summary>
    public ImmutableArray<Endpoint> GetControllerActions(
        INamedTypeSymbol controller, AnalyzerOptions? options, AppConventions? conventions, CancellationToken cancellationToken = default)
    {
        if (!IsController(controller))
        {
            return ImmutableArray<Endpoint>.Empty;
        }

        var audit = AuditFor(options, controller.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree);
        var controllerFacts = new SecurityFacts();
        for (var t = controller; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            AddAttributeFacts(t.GetAttributes(), controllerFacts, "on " + t.Name, audit, cancellationToken);
        }

        var controllerName = StripSuffix(controller.Name, "Controller");
        var area = FindAttribute(controller, "AreaAttribute") is { } areaAttribute ? StringArgument(areaAttribute) : null;
        var controllerTemplates = ControllerTemplates(controller);

        var result = ImmutableArray.CreateBuilder<Endpoint>();
        foreach (var action in Actions(controller))
        {
            var facts = controllerFacts.Copy();
            AddAttributeFacts(action.GetAttributes(), facts, "on " + controller.Name + "." + action.Name, audit, cancellationToken);
            AddHandlerCheck(action, facts, audit, conventions, cancellationToken);
            var actionName = ActionName(action);
            var location = action.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
            var handlerName = controller.Name + "." + action.Name;

            var routes = new List<(string Route, List<string> Verbs, bool Complete)>();
            foreach (var (verbs, template) in ActionTemplates(action))
            {
                foreach (var (route, complete) in CombineControllerRoute(controllerTemplates, template))
                {
                    var text = NormalizeRoute(ReplaceTokens(route ?? "/" + controllerName + "/" + actionName, controllerName, actionName, area));
                    var existing = routes.FindIndex(r => r.Route == text);
                    if (existing < 0)
                    {
                        routes.Add((text, new List<string>(verbs), complete && route is not null));
                    }
                    else
                    {
                        foreach (var verb in verbs)
                        {
                            if (!routes[existing].Verbs.Contains(verb))
                            {
                                routes[existing].Verbs.Add(verb);
                            }
                        }
                    }
                }
            }

            string? handlerAudit = null;
            foreach (var (route, verbs, complete) in routes)
            {
                var verbArray = verbs.ToImmutableArray();
                if (!facts.IsAudited && !(conventions?.AuditsAll(EndpointKind.ControllerAction, verbArray) ?? false))
                {
                    handlerAudit ??= audit.DescribeAudit(action, conventions, cancellationToken) ?? string.Empty;
                    if (handlerAudit.Length > 0)
                    {
                        facts.AddAudit(null, handlerAudit);
                    }
                }

                result.Add(new Endpoint(
                    EndpointKind.ControllerAction, verbs.ToImmutableArray(), route, complete, action, handlerName, location, facts,
                    facts.ToAuthorization(null), facts.ToAudit()));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>A Razor Pages page model: a non-abstract class derived from <c>Microsoft.AspNetCore.Mvc.RazorPages.PageModel</c>.</summary>
    public static bool IsPageModel(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic)
        {
            return false;
        }

        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (IsAspNetCoreType(t, "PageModel"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The handlers of a page model (<c>OnGet</c>, <c>OnPostAsync</c>, <c>OnPostDeleteAsync</c> ...), before
    /// application-wide settings. Razor Pages honor authorization and filter attributes on the page model only, not on
    /// handler methods, so only the class (and its base classes) are read.
    /// </summary>
    public ImmutableArray<Endpoint> GetPageHandlers(INamedTypeSymbol pageModel) => GetPageHandlers(pageModel, null, null);

    /// <summary>The handlers of a page model, before application-wide settings, with the options of its file.</summary>
    public ImmutableArray<Endpoint> GetPageHandlers(
        INamedTypeSymbol pageModel, AnalyzerOptions? options, AppConventions? conventions, CancellationToken cancellationToken = default)
    {
        if (!IsPageModel(pageModel))
        {
            return ImmutableArray<Endpoint>.Empty;
        }

        var audit = AuditFor(options, pageModel.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree);
        var facts = new SecurityFacts();
        for (var t = pageModel; t is not null && !IsAspNetCoreType(t, "PageModel"); t = t.BaseType)
        {
            AddAttributeFacts(t.GetAttributes(), facts, "on " + t.Name, audit, cancellationToken);
        }

        var (route, known) = PagePath(pageModel);
        var result = ImmutableArray.CreateBuilder<Endpoint>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var t = pageModel; t is not null && !IsAspNetCoreType(t, "PageModel"); t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public, IsStatic: false, IsAbstract: false } method ||
                    PageHandlerVerb(method.Name) is not { } verb || !seen.Add(method.Name) || FindAttribute(method, "NonHandlerAttribute") is not null)
                {
                    continue;
                }

                var location = method.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
                var own = facts.Copy();
                AddHandlerCheck(method, own, audit, conventions, cancellationToken);
                if (!own.IsAudited && !(conventions?.AuditsAll(EndpointKind.PageHandler, ImmutableArray.Create(verb)) ?? false) &&
                    audit.DescribeAudit(method, conventions, cancellationToken) is { } handlerAudit)
                {
                    own.AddAudit(null, handlerAudit);
                }

                result.Add(new Endpoint(
                    EndpointKind.PageHandler, ImmutableArray.Create(verb), route, known, method, pageModel.Name + "." + method.Name, location, own,
                    own.ToAuthorization(null), own.ToAudit()));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The values a handler assigns to members of its own instance, itself or through one method of this compilation
    /// it calls (<c>Patient = await _db.Patients.FindAsync(id)</c> in <c>OnGetAsync</c> or its <c>LoadAsync</c> helper).
    /// </summary>
    internal IEnumerable<(ISymbol Member, IOperation Value)> HandlerAssignments(
        IMethodSymbol handler, AnalyzerOptions? options, AppConventions? conventions, CancellationToken cancellationToken) =>
        AuditFor(options, handler.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree).OwnAssignments(handler, conventions, cancellationToken);

    /// <summary>
    /// The PHI records an endpoint's handler loads, changes or deletes through Entity Framework Core, itself, in lambdas,
    /// or through one method of this compilation it calls: entities of a <c>DbSet&lt;T&gt;</c> (or <c>Set&lt;T&gt;()</c>)
    /// whose type carries PHI, materialized (<c>Find</c>, <c>First*</c>, <c>Single*</c>, <c>Last*</c>, <c>ToList*</c>,
    /// <c>ToArray*</c>, <c>AsEnumerable</c>, <c>foreach</c>), tracked to be saved (<c>Add</c>, <c>Update</c>,
    /// <c>Remove</c>, <c>Attach</c> ...) or changed in bulk (<c>ExecuteUpdate*</c>, <c>ExecuteDelete*</c>). Worded for
    /// the endpoint's verbs: "reads Patient records (carries Patient.Name (name: person name))" for GET and HEAD,
    /// "changes Appointment records (carries Appointment.Patient > Patient.Name (name: person name))" for the other
    /// verbs, and for an endpoint that accepts any verb, "changes" when the code writes. Null when the handler only
    /// counts records (<c>CountAsync</c>, <c>AnyAsync</c> ...), selects a shape that carries no PHI
    /// (<c>Select(p =&gt; new { p.Id, p.CreatedAt })</c>), or reads entities of no one's data. PHI is judged with
    /// <paramref name="inventory"/>, under the options of the file that declares the handler.
    /// </summary>
    public string? DescribeRecordAccess(
        Endpoint endpoint, PhiInventory inventory, AnalyzerOptions? options, AppConventions? conventions, CancellationToken cancellationToken = default)
    {
        if (endpoint.Handler is not { } handler)
        {
            return null;
        }

        var verbs = endpoint.Verbs;
        bool anyVerb = verbs.IsDefaultOrEmpty;
        bool readsOnly = !anyVerb && verbs.All(v => v is "GET" or "HEAD");
        var audit = AuditFor(options, handler.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree);
        string? first = null;
        foreach (var (callee, access) in audit.RecordAccesses(handler, conventions, cancellationToken))
        {
            if (inventory.DescribeRecordPhi(handler, access) is not { } phi)
            {
                continue;
            }

            // "changes" when the code adds, updates or removes records; a POST that only looks a record up "loads" it.
            var verb = access.Writes ? "changes " : readsOnly ? "reads " : "loads ";
            var text = verb + access.Entity.Name + " records" +
                       (callee is null ? string.Empty : " through " + (callee.ContainingType is { } type ? type.Name + "." : string.Empty) + callee.Name) +
                       " (" + phi + ")";
            if (access.Writes)
            {
                return text;
            }

            first ??= text;
        }

        return first;
    }

    /// <summary>
    /// A Razor Pages property that model binding fills only on POST: <c>[BindProperty]</c> (or <c>[BindProperties]</c>
    /// on the page model) without <c>SupportsGet = true</c>. A GET handler that does not assign it shows an empty form.
    /// </summary>
    internal static bool IsBoundOnPostOnly(IPropertySymbol property, INamedTypeSymbol pageModel)
    {
        if (FindAttribute(property, "BindPropertyAttribute") is { } bind)
        {
            return !SupportsGet(bind);
        }

        // [BindProperties] on the page model or a base class binds every public property.
        return FindAttribute(pageModel, "BindPropertiesAttribute") is { } bindAll && !SupportsGet(bindAll);

        static bool SupportsGet(AttributeData attribute) =>
            attribute.NamedArguments.Any(a => a.Key == "SupportsGet" && a.Value.Value is true);
    }

    /// <summary>
    /// A check the handler makes in its own code (<c>user.IsInRole(...)</c>, <c>AuthorizeAsync(...)</c>, a guarded
    /// <c>Forbid()</c>), itself or in one method it calls: recorded on the endpoint, where it narrows authentication.
    /// </summary>
    private static void AddHandlerCheck(
        IMethodSymbol handler, SecurityFacts facts, AuditModel audit, AppConventions? conventions, CancellationToken cancellationToken)
    {
        if (audit.DescribeAccessCheck(handler, conventions, cancellationToken) is { } check)
        {
            facts.AddHandlerCheck(check);
        }
    }

    /// <summary>GET for OnGet, OnGetAsync, OnGetDetailsAsync; null for a method that is not a handler.</summary>
    private static string? PageHandlerVerb(string name)
    {
        foreach (var verb in new[] { "Get", "Post", "Put", "Delete", "Patch", "Head", "Options" })
        {
            var prefix = "On" + verb;
            if (name.StartsWith(prefix, StringComparison.Ordinal) &&
                (name.Length == prefix.Length || char.IsUpper(name[prefix.Length])))
            {
                return verb.ToUpperInvariant();
            }
        }

        return null;
    }

    /// <summary>
    /// The page's path ("/Patients/Details") from its file under a Pages folder (Pages/Patients/Details.cshtml.cs),
    /// the root Razor Pages uses by default; unknown (the class name) otherwise.
    /// </summary>
    private static (string Route, bool Known) PagePath(INamedTypeSymbol pageModel)
    {
        var path = pageModel.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree?.FilePath?.Replace('\\', '/');
        var index = path?.LastIndexOf("/Pages/", StringComparison.OrdinalIgnoreCase) ?? -1;
        if (path is not null && index >= 0)
        {
            var relative = path.Substring(index + "/Pages".Length);
            foreach (var extension in new[] { ".cshtml.cs", ".cs" })
            {
                if (relative.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                {
                    relative = relative.Substring(0, relative.Length - extension.Length);
                    break;
                }
            }

            return (relative, true);
        }

        return ("/" + StripSuffix(StripSuffix(pageModel.Name, "PageModel"), "Model"), false);
    }

    /// <summary>
    /// Adds what <paramref name="operation"/> says about the whole application: a fallback policy
    /// (<c>options.FallbackPolicy = ...</c>, <c>SetFallbackPolicy(...)</c>), a global filter
    /// (<c>options.Filters.Add(new AuthorizeFilter())</c>, an audit filter) or conventions on
    /// <c>MapControllers()</c>.
    /// </summary>
    public void CollectAppConvention(IOperation operation, AppConventions.Builder conventions) =>
        CollectAppConvention(operation, conventions, null);

    /// <summary>
    /// Adds what <paramref name="operation"/> says about the whole application, judging audit types with the options
    /// of its file: also audit middleware (<c>UseMiddleware&lt;AuditMiddleware&gt;()</c>, an <c>app.Use...()</c>
    /// extension of this compilation that adds it, <c>app.Use(...)</c> with a lambda that audits) and EF Core save
    /// interceptors that write audit rows (<c>AddInterceptors(...)</c>).
    /// </summary>
    public void CollectAppConvention(
        IOperation operation, AppConventions.Builder conventions, AnalyzerOptions? options, CancellationToken cancellationToken = default)
    {
        var audit = AuditFor(options, operation.Syntax.SyntaxTree);
        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "FallbackPolicy" } property } } assignment
                when property.ContainingType?.Name == "AuthorizationOptions" && !IsNullLiteral(assignment.Value):
                conventions.SetFallbackPolicy("fallback policy set in " + Where(assignment), ClassifyPolicy(assignment.Value));
                break;

            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "DefaultPolicy" } property } } assignment
                when property.ContainingType?.Name == "AuthorizationOptions" && !IsNullLiteral(assignment.Value):
                conventions.SetDefaultPolicy(ClassifyPolicy(assignment.Value) == PolicyKind.Narrows, "default policy set in " + Where(assignment));
                break;

            // The runtime's global audit option: services.AddHipaaAudit(o => o.AuditAllEndpoints = true).
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "AuditAllEndpoints" } property } } assignment
                when property.ContainingType?.Name == "HipaaAuditOptions" && Unwrap(assignment.Value) is { ConstantValue: { HasValue: true, Value: true } }:
            {
                var facts = new SecurityFacts();
                facts.AddAudit(null, "AuditAllEndpoints option");
                conventions.AddEveryEndpoint(facts, "AuditAllEndpoints set in " + Where(assignment));
                break;
            }

            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                if (method.Name == "SetFallbackPolicy" && method.ContainingType?.Name == "AuthorizationBuilder" &&
                    invocation.Arguments.Length > 0 && !IsNullLiteral(invocation.Arguments[invocation.Arguments.Length - 1].Value))
                {
                    conventions.SetFallbackPolicy(
                        "fallback policy set in " + Where(invocation), ClassifyPolicy(invocation.Arguments[invocation.Arguments.Length - 1].Value));
                }
                else if (method.Name == "SetDefaultPolicy" && method.ContainingType?.Name == "AuthorizationBuilder" && invocation.Arguments.Length > 0)
                {
                    conventions.SetDefaultPolicy(
                        ClassifyPolicy(invocation.Arguments[invocation.Arguments.Length - 1].Value) == PolicyKind.Narrows, "default policy set in " + Where(invocation));
                }
                else if (IsPageConvention(method))
                {
                    CollectPageConvention(invocation, conventions);
                }
                // options.Filters.Add(new AuthorizeFilter()) binds to Collection<IFilterMetadata>.Add: the receiver says it is MVC's filters.
                else if (method.Name is "Add" or "AddService" &&
                         (method.ContainingType?.Name == "FilterCollection" || invocation.Instance?.Type?.Name == "FilterCollection"))
                {
                    CollectGlobalFilter(invocation, conventions, audit, cancellationToken);
                }
                else if (IsServiceRegistration(method))
                {
                    var registered = new List<ITypeSymbol>(method.TypeArguments);
                    foreach (var argument in invocation.Arguments)
                    {
                        if (Unwrap(argument.Value) is ITypeOfOperation typeOf)
                        {
                            registered.Add(typeOf.TypeOperand);
                        }
                    }

                    AddRegistration(registered, conventions);
                }
                else if (method.Name.StartsWith("Use", StringComparison.Ordinal))
                {
                    CollectMiddleware(invocation, conventions, audit, cancellationToken);
                }
                else if (method.Name == "AddInterceptors")
                {
                    CollectInterceptors(invocation, conventions, audit, cancellationToken);
                }
                else if (IsControllerMap(method))
                {
                    var facts = new SecurityFacts();
                    CollectChain(invocation, facts, "on " + method.Name + "()", 0, audit);
                    if (!facts.IsEmpty)
                    {
                        conventions.AddControllerConventions(facts, method.Name + "() conventions in " + Where(invocation));
                    }
                }
                else if (method.Name == "MapRazorPages" && IsAspNetCoreType(method.ContainingType, "RazorPagesEndpointRouteBuilderExtensions"))
                {
                    var facts = new SecurityFacts();
                    CollectChain(invocation, facts, "on MapRazorPages()", 0, audit);
                    if (!facts.IsEmpty)
                    {
                        conventions.AddPageConventions(facts, "MapRazorPages() conventions in " + Where(invocation));
                    }
                }

                break;
        }
    }

    /// <summary>
    /// Adds what a declaration says about the whole application: a <c>SaveChanges</c> or <c>SaveChangesAsync</c>
    /// override of a <c>DbContext</c> that writes audit rows (itself or through one method it calls) records every
    /// change saved, so it covers the endpoints that write. A read (GET) saves nothing and still needs its own audit.
    /// </summary>
    public void CollectDeclaration(IMethodSymbol method, AppConventions.Builder conventions, AnalyzerOptions? options, CancellationToken cancellationToken = default)
    {
        if (method is not { Name: "SaveChanges" or "SaveChangesAsync", IsOverride: true, IsStatic: false } ||
            !TypeNames.DerivesFrom(method.ContainingType, "Microsoft.EntityFrameworkCore", "DbContext"))
        {
            return;
        }

        var audit = AuditFor(options, method.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree);
        if (audit.DescribeAudit(method, null, cancellationToken) is { } evidence)
        {
            var source = method.Name + " override in " + method.ContainingType.Name + " " + evidence + " (writes only)";
            var facts = new SecurityFacts();
            facts.AddAudit(null, source);
            conventions.AddWrites(facts, source);
        }
    }

    /// <summary>A method declaration that may be a <c>SaveChanges</c> override (<see cref="CollectDeclaration"/>).</summary>
    internal static bool IsSaveChangesOverride(SyntaxNode node) =>
        node is MethodDeclarationSyntax { Identifier.ValueText: "SaveChanges" or "SaveChangesAsync" } declaration &&
        declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.OverrideKeyword));

    /// <summary>
    /// Audit middleware for every endpoint: <c>app.UseMiddleware&lt;AuditMiddleware&gt;()</c> (a middleware type that
    /// is an audit type or whose <c>Invoke</c>/<c>InvokeAsync</c> audits), <c>app.Use(...)</c> with a lambda that
    /// audits, or an <c>app.Use...()</c> extension of this compilation whose body does one of these (one level), or of
    /// a library whose name says audit (<c>UseAuditTrail()</c>). Middleware added inside a branch
    /// (<c>UseWhen</c>, <c>MapWhen</c>) or inside such an extension counts where it is called, not where it is written.
    /// </summary>
    private void CollectMiddleware(IInvocationOperation invocation, AppConventions.Builder conventions, AuditModel audit, CancellationToken cancellationToken)
    {
        if (InsideBranchOrUseExtension(invocation))
        {
            return;
        }

        var where = " in " + Where(invocation);
        if (AuditingMiddleware(invocation, audit, cancellationToken) is { } found)
        {
            AddMiddleware(conventions, found + where);
            return;
        }

        var method = invocation.TargetMethod.OriginalDefinition;
        if (method.Name is "Use" or "UseMiddleware" || !IsApplicationBuilderExtension(method))
        {
            return;
        }

        if (!CodeOrigin.IsDeclaredIn(method, Compilation))
        {
            if (AuditModel.HasAuditWord(method.Name))
            {
                AddMiddleware(conventions, "middleware " + method.Name + "()" + where);
            }

            return;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (!Compilation.ContainsSyntaxTree(reference.SyntaxTree) ||
                Compilation.GetSemanticModel(reference.SyntaxTree).GetOperation(reference.GetSyntax(cancellationToken), cancellationToken) is not { } body)
            {
                continue;
            }

            foreach (var inner in body.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                if (!InsideBranch(inner, body) && AuditingMiddleware(inner, audit, cancellationToken) is { } added)
                {
                    AddMiddleware(conventions, added + " (" + method.Name + "())" + where);
                    return;
                }
            }
        }
    }

    private static void AddMiddleware(AppConventions.Builder conventions, string source)
    {
        var facts = new SecurityFacts();
        facts.AddAudit(null, source);
        conventions.AddEveryEndpoint(facts, source);
    }

    /// <summary>"middleware AuditMiddleware" for <c>UseMiddleware&lt;AuditMiddleware&gt;()</c>, "middleware lambda calls IAuditService.LogAsync" for <c>Use(...)</c>.</summary>
    private static string? AuditingMiddleware(IInvocationOperation invocation, AuditModel audit, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (method.Name == "UseMiddleware" && IsAspNetCoreType(method.ContainingType, "UseMiddlewareExtensions"))
        {
            var type = method.TypeArguments.FirstOrDefault() ??
                       invocation.Arguments.Select(a => Unwrap(a.Value)).OfType<ITypeOfOperation>().FirstOrDefault()?.TypeOperand;
            return type is not null && audit.Audits(type, AuditHook.Middleware, null, cancellationToken, out var detail)
                ? "middleware " + type.Name + (detail is null ? string.Empty : " (" + detail + ")")
                : null;
        }

        if (method.Name == "Use" && (IsAspNetCoreType(method.ContainingType, "UseExtensions") || method.ContainingType?.Name == "IApplicationBuilder"))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (Unwrap(argument.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } &&
                    audit.DescribeAudit(lambda, lambda.Symbol.ContainingType) is { } evidence)
                {
                    return "middleware lambda " + evidence;
                }
            }
        }

        return null;
    }

    /// <summary>An extension method of <c>IApplicationBuilder</c> (or <c>WebApplication</c>) named <c>Use...</c>.</summary>
    private static bool IsApplicationBuilderExtension(IMethodSymbol method) =>
        method.IsExtensionMethod && method.Parameters.Length > 0 &&
        method.Name.Length > 3 && char.IsUpper(method.Name[3]) &&
        (method.Parameters[0].Type.Name is "IApplicationBuilder" or "WebApplication" ||
         Interfaces.Of(method.Parameters[0].Type).Any(i => i.Name == "IApplicationBuilder"));

    /// <summary>Inside a lambda (a <c>UseWhen</c> or <c>MapWhen</c> branch), or inside an <c>app.Use...()</c> extension that counts where it is called.</summary>
    private static bool InsideBranchOrUseExtension(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        if (InsideBranch(operation, root))
        {
            return true;
        }

        return root.Syntax is MethodDeclarationSyntax declaration &&
               operation.SemanticModel?.GetDeclaredSymbol(declaration) is IMethodSymbol container &&
               IsApplicationBuilderExtension(container);
    }

    private static bool InsideBranch(IOperation operation, IOperation root)
    {
        for (var parent = operation.Parent; parent is not null && parent != root; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>options.AddInterceptors(new AuditSaveChangesInterceptor())</c>: a save interceptor that writes audit rows covers the endpoints that write.</summary>
    private static void CollectInterceptors(IInvocationOperation invocation, AppConventions.Builder conventions, AuditModel audit, CancellationToken cancellationToken)
    {
        if (invocation.TargetMethod.ContainingType?.Name != "DbContextOptionsBuilder")
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            var values = Unwrap(argument.Value) is IArrayCreationOperation { Initializer: { } initializer }
                ? initializer.ElementValues.Select(Unwrap)
                : new[] { Unwrap(argument.Value) };
            foreach (var value in values)
            {
                var type = value?.Type;
                if (type is null || !AuditModel.IsSaveInterceptor(type) ||
                    !audit.Audits(type, AuditHook.SaveInterceptor, null, cancellationToken, out var detail))
                {
                    continue;
                }

                var source = "save interceptor " + type.Name + (detail is null ? string.Empty : " (" + detail + ")") + " in " + Where(invocation) + " (writes only)";
                var facts = new SecurityFacts();
                facts.AddAudit(null, source);
                conventions.AddWrites(facts, source);
            }
        }
    }

    /// <summary>The Razor Pages authorization conventions of <c>PageConventionCollection</c>.</summary>
    private static bool IsPageConvention(IMethodSymbol method) =>
        method.Name is "AuthorizeFolder" or "AuthorizePage" or "AllowAnonymousToFolder" or "AllowAnonymousToPage" &&
        method.Parameters.Length > 0 && method.Parameters[0].Type.Name == "PageConventionCollection";

    private static void CollectPageConvention(IInvocationOperation invocation, AppConventions.Builder conventions)
    {
        var method = invocation.TargetMethod;
        var path = Argument(invocation, "folderPath") ?? Argument(invocation, "pageName");
        if (path is null || ConstantString(path.Value) is not { } text)
        {
            return;
        }

        bool folder = method.Name.EndsWith("Folder", StringComparison.Ordinal);
        var source = method.Name + "(\"" + text + "\")";
        var facts = new SecurityFacts();
        if (method.Name.StartsWith("AllowAnonymous", StringComparison.Ordinal))
        {
            facts.AddAnonymous(source, invocation.Syntax.GetLocation());
        }
        else
        {
            var policy = Argument(invocation, "policy") is { } policyArgument ? ConstantString(policyArgument.Value) : null;
            facts.AddAuthorize(policy, null, source);
        }

        conventions.AddPageConvention(NormalizeRoute(text).TrimEnd('/'), folder, facts, source + " in " + Where(invocation));
    }

    /// <summary>
    /// What a policy written in code requires: <c>new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()</c>
    /// is authentication only; roles, claims, assertions and requirements narrow it; a policy the model cannot read
    /// (a field, a method of another library) counts as narrowing, so nothing is reported on a guess.
    /// </summary>
    internal static PolicyKind ClassifyPolicy(IOperation value)
    {
        var unwrapped = Unwrap(value) ?? value;
        if (unwrapped is IPropertyReferenceOperation { Property.Name: "DefaultPolicy" })
        {
            return PolicyKind.SameAsDefault;
        }

        bool authenticated = false;
        foreach (var operation in unwrapped.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    switch (invocation.TargetMethod.Name)
                    {
                        case "RequireAuthenticatedUser":
                            authenticated = true;
                            break;
                        case "RequireRole":
                        case "RequireClaim":
                        case "RequireAssertion":
                        case "RequireUserName":
                        case "AddRequirements":
                        case "Combine":
                            return PolicyKind.Narrows;
                    }

                    break;
                case IObjectCreationOperation { Type: INamedTypeSymbol created }
                    when Interfaces.Of(created).Any(i => i.Name == "IAuthorizationRequirement") && created.Name != "DenyAnonymousAuthorizationRequirement":
                    return PolicyKind.Narrows;
            }
        }

        return authenticated ? PolicyKind.AuthenticationOnly : PolicyKind.Narrows;
    }

    /// <summary>AddSingleton, AddScoped, AddTransient (keyed too), AddHostedService, AddHttpClient, AddDbContext on a service collection.</summary>
    private static bool IsServiceRegistration(IMethodSymbol method) =>
        IsServiceRegistrationName(method.Name) && method.Parameters.Length > 0 && method.Parameters[0].Type.Name == "IServiceCollection";

    private static bool IsServiceRegistrationName(string name) =>
        name is "AddSingleton" or "AddScoped" or "AddTransient" or "AddKeyedSingleton" or "AddKeyedScoped" or "AddKeyedTransient"
            or "TryAddSingleton" or "TryAddScoped" or "TryAddTransient" or "AddHostedService" or "AddHttpClient" or "AddDbContext"
            or "AddDbContextPool" or "AddDbContextFactory";

    /// <summary>
    /// The types a registration names are services; <c>AddScoped&lt;IPatientService, PatientService&gt;()</c> also makes
    /// calls through the interface reach the class.
    /// </summary>
    private static void AddRegistration(List<ITypeSymbol> registered, AppConventions.Builder conventions)
    {
        foreach (var type in registered)
        {
            conventions.AddService(type);
        }

        if (registered.Count == 2)
        {
            conventions.AddImplementation(registered[0], registered[1]);
        }
    }

    /// <summary>
    /// A service registration that names its types (<c>services.AddScoped&lt;IPatientService, PatientService&gt;()</c>,
    /// <c>services.AddSingleton(typeof(IClock), typeof(SystemClock))</c>), read from its syntax: only the type names are
    /// bound, at the call's position, so the application scan does not bind the method the call is in (a module's
    /// registration method, a long <c>Program.cs</c>). False when the call is not one or its types are inferred
    /// (<c>AddSingleton(TimeProvider.System)</c>): the caller then binds it.
    /// </summary>
    public static bool CollectRegistrationFromSyntax(SyntaxNode node, SemanticModel model, AppConventions.Builder conventions, CancellationToken cancellationToken)
    {
        if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: var name } } invocation ||
            !IsServiceRegistrationName(name.Identifier.ValueText))
        {
            return false;
        }

        var named = new List<TypeSyntax>();
        if (name is GenericNameSyntax generic)
        {
            named.AddRange(generic.TypeArgumentList.Arguments);
        }

        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (argument.Expression is TypeOfExpressionSyntax typeOf)
            {
                named.Add(typeOf.Type);
            }
        }

        if (named.Count == 0)
        {
            return false;
        }

        var registered = new List<ITypeSymbol>(named.Count);
        foreach (var syntax in named)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (model.GetSpeculativeTypeInfo(syntax.SpanStart, syntax, SpeculativeBindingOption.BindAsTypeOrNamespace).Type is not { } type ||
                type.TypeKind == TypeKind.Error)
            {
                return false;
            }

            registered.Add(type);
        }

        AddRegistration(registered, conventions);
        return true;
    }

    /// <summary>A public, non-abstract, non-generic class named *Controller or marked (or derived from a class marked) [Controller].</summary>
    public static bool IsController(INamedTypeSymbol type)
    {
        // The name before the attributes: this is asked for every public method of every type.
        if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic || type.IsGenericType ||
            type.DeclaredAccessibility != Accessibility.Public ||
            !type.Name.EndsWith("Controller", StringComparison.OrdinalIgnoreCase) && FindAttribute(type, "ControllerAttribute") is null)
        {
            return false;
        }

        return FindAttribute(type, "NonControllerAttribute") is null;
    }

    private IEnumerable<Endpoint> MinimalApiEndpoints(
        IInvocationOperation invocation,
        Func<IMethodSymbol, IReadOnlyList<IInvocationOperation>?>? callSites,
        AuditModel audit,
        AppConventions? conventions,
        CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        var verbs = Verbs(invocation);
        var pattern = Argument(invocation, "pattern") is { } patternArgument ? RouteText(patternArgument.Value) : null;
        if (method.Name == "MapFallback" && pattern is null)
        {
            pattern = "{*path:nonfile}";
        }

        var handler = Handler(invocation);
        var handlerName = handler is null ? "(delegate)" : HandlerName(handler);
        if (HandlerLambda(invocation) is { } lambda)
        {
            // The lambda is bound already, as part of the code that maps it: read it from there, not bound again.
            audit.Observe(lambda);
        }

        var own = new SecurityFacts();
        if (handler is not null)
        {
            AddAttributeFacts(handler.GetAttributes(), own, "on " + handlerName, audit, cancellationToken, mvc: false);
        }

        CollectChain(invocation, own, "on the endpoint", 0, audit);
        if (handler is not null)
        {
            AddHandlerCheck(handler, own, audit, conventions, cancellationToken);
        }

        var location = invocation.Syntax.GetLocation();
        string? handlerAudit = null;
        foreach (var scope in ScopesOf(Receiver(invocation), callSites, audit))
        {
            var facts = own.Copy();
            facts.AddAll(scope.Facts);

            // A handler that writes the audit record itself: await audit.LogAsync(...), or through a helper it calls.
            if (!facts.IsAudited && handler is not null && !(conventions?.AuditsAll(EndpointKind.MinimalApi, verbs) ?? false))
            {
                handlerAudit ??= audit.DescribeAudit(handler, conventions, cancellationToken) ?? string.Empty;
                if (handlerAudit.Length > 0)
                {
                    facts.AddAudit(null, handlerAudit);
                }
            }

            var route = NormalizeRoute(Combine(scope.Prefix, pattern));
            yield return new Endpoint(
                EndpointKind.MinimalApi, verbs, route, scope.Complete, handler, handlerName, location, facts,
                facts.ToAuthorization(null), facts.ToAudit());
        }
    }

    /// <summary>
    /// The scopes of a Map call's receiver, read and not changed by the caller. The Map calls on one route group local
    /// (<c>group.MapGet(...)</c>, <c>group.MapPost(...)</c> ...) share its scopes, which depend only on the local's
    /// initializer and the conventions called on it anywhere in the body: they are resolved once per local, not per call.
    /// </summary>
    private IReadOnlyList<Scope> ScopesOf(IOperation? receiver, Func<IMethodSymbol, IReadOnlyList<IInvocationOperation>?>? callSites, AuditModel audit)
    {
        if (Unwrap(receiver) is not ILocalReferenceOperation { Local: var local })
        {
            return ResolveScopes(receiver, callSites, 0, audit);
        }

        var key = new GroupLocal(local, audit, callSites is not null);
        return _groupScopes.TryGetValue(key, out var known) ? known : _groupScopes.GetOrAdd(key, ResolveScopes(receiver, callSites, 0, audit));
    }

    private readonly SharedCache<GroupLocal, List<Scope>> _groupScopes = new(GroupLocal.Comparer.Instance);

    /// <summary>A route group local, as the audit model of its file and with or without the callers of its method sees it.</summary>
    private readonly struct GroupLocal
    {
        public GroupLocal(ILocalSymbol local, AuditModel audit, bool withCallers)
        {
            Local = local;
            Audit = audit;
            WithCallers = withCallers;
        }

        public ILocalSymbol Local { get; }
        public AuditModel Audit { get; }
        public bool WithCallers { get; }

        public sealed class Comparer : IEqualityComparer<GroupLocal>
        {
            public static readonly Comparer Instance = new();

            public bool Equals(GroupLocal x, GroupLocal y) =>
                SymbolEqualityComparer.Default.Equals(x.Local, y.Local) && ReferenceEquals(x.Audit, y.Audit) && x.WithCallers == y.WithCallers;

            public int GetHashCode(GroupLocal key) => SymbolEqualityComparer.Default.GetHashCode(key.Local) ^ (key.WithCallers ? 1 : 0);
        }
    }

    /// <summary>Where an endpoint builder comes from: the root (an app or route builder), or route groups with prefixes and conventions.</summary>
    private sealed class Scope
    {
        public Scope(string prefix, bool complete, SecurityFacts facts)
        {
            Prefix = prefix;
            Complete = complete;
            Facts = facts;
        }

        public string Prefix { get; }
        public bool Complete { get; }
        public SecurityFacts Facts { get; }
    }

    private List<Scope> ResolveScopes(IOperation? receiver, Func<IMethodSymbol, IReadOnlyList<IInvocationOperation>?>? callSites, int depth, AuditModel audit)
    {
        receiver = Unwrap(receiver);
        if (receiver is null || depth > MaxScopeDepth)
        {
            return new List<Scope> { new(string.Empty, receiver is null, new SecurityFacts()) };
        }

        switch (receiver)
        {
            case IInvocationOperation invocation when IsMapGroup(invocation.TargetMethod):
            {
                var prefix = Argument(invocation, "prefix") is { } prefixArgument ? RouteText(prefixArgument.Value) : null;
                var result = new List<Scope>();
                foreach (var outer in ResolveScopes(Receiver(invocation), callSites, depth + 1, audit))
                {
                    result.Add(new Scope(Combine(outer.Prefix, prefix), outer.Complete, outer.Facts.Copy()));
                }

                return result;
            }

            case IInvocationOperation invocation when IsConventionCall(invocation):
            {
                var result = ResolveScopes(Receiver(invocation), callSites, depth + 1, audit);
                foreach (var scope in result)
                {
                    ApplyConvention(invocation, scope.Facts, "on group " + GroupLabel(scope.Prefix), audit);
                }

                return result;
            }

            case ILocalReferenceOperation local:
            {
                var index = IndexOf(local);
                var result = index.Initializers.TryGetValue(local.Local, out var initializer)
                    ? ResolveScopes(initializer, callSites, depth + 1, audit)
                    : new List<Scope> { new(string.Empty, false, new SecurityFacts()) };
                if (index.Calls.TryGetValue(local.Local, out var calls))
                {
                    foreach (var scope in result)
                    {
                        var label = "on group " + GroupLabel(scope.Prefix);
                        foreach (var call in calls)
                        {
                            if (IsConventionCall(call))
                            {
                                ApplyConvention(call, scope.Facts, label, audit);
                                CollectChain(call, scope.Facts, label, depth + 1, audit);
                            }
                        }
                    }
                }

                return result;
            }

            case IParameterReferenceOperation parameter:
            {
                var owner = parameter.Parameter.ContainingSymbol as IMethodSymbol;
                if (owner is not null && callSites?.Invoke(owner.OriginalDefinition) is { } calls)
                {
                    var result = new List<Scope>();
                    foreach (var call in calls)
                    {
                        var argument = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Parameter.Ordinal);
                        if (argument is not null)
                        {
                            result.AddRange(ResolveScopes(argument.Value, callSites, depth + 1, audit));
                        }
                    }

                    if (result.Count > 0)
                    {
                        return result;
                    }
                }

                // An app or route builder handed in from elsewhere is most often the application itself; a group is not.
                return new List<Scope> { new(string.Empty, !IsGroupType(parameter.Type), new SecurityFacts()) };
            }

            default:
                return new List<Scope> { new(string.Empty, !IsGroupType(receiver.Type), new SecurityFacts()) };
        }
    }

    /// <summary>Conventions chained after <paramref name="start"/> (<c>.RequireAuthorization().AuditPhiAccess()</c>) or applied to the local that holds it.</summary>
    private void CollectChain(IOperation start, SecurityFacts facts, string label, int depth, AuditModel audit)
    {
        var operation = start;
        while (depth++ <= MaxScopeDepth)
        {
            var parent = UpThroughConversions(operation);
            if (parent is IArgumentOperation { Parent: IInvocationOperation outer } argument &&
                outer.TargetMethod.IsExtensionMethod && outer.Arguments.Length > 0 && outer.Arguments[0] == argument && IsConventionCall(outer))
            {
                ApplyConvention(outer, facts, label, audit);
                operation = outer;
                continue;
            }

            if (parent is IInvocationOperation instanceCall && instanceCall.Instance is { } instance && Unwrap(instance) == operation &&
                IsConventionCall(instanceCall))
            {
                ApplyConvention(instanceCall, facts, label, audit);
                operation = instanceCall;
                continue;
            }

            ILocalSymbol? local = parent switch
            {
                IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when Unwrap(assignment.Value) == operation => target.Local,
                _ => null,
            };
            if (local is not null && IndexOf(operation).Calls.TryGetValue(local, out var calls))
            {
                foreach (var call in calls)
                {
                    if (IsConventionCall(call))
                    {
                        ApplyConvention(call, facts, label, audit);
                        CollectChain(call, facts, label, depth, audit);
                    }
                }
            }

            return;
        }
    }

    private void ApplyConvention(IInvocationOperation invocation, SecurityFacts facts, string label, AuditModel audit)
    {
        var method = invocation.TargetMethod;
        var arguments = method.IsExtensionMethod ? invocation.Arguments.Skip(1).ToList() : invocation.Arguments.ToList();
        switch (method.Name)
        {
            case "RequireAuthorization":
                AddRequireAuthorization(arguments, facts, ".RequireAuthorization() " + label, audit);
                break;
            case "AllowAnonymous":
                facts.AddAnonymous(".AllowAnonymous() " + label, invocation.Syntax.GetLocation());
                break;
            case "AuditPhiAccess":
                facts.AddAudit(arguments.Count > 0 ? EnumMemberName(arguments[0].Value) : null, ".AuditPhiAccess() " + label);
                break;
            case "WithMetadata":
                foreach (var argument in arguments)
                {
                    foreach (var creation in argument.Value.DescendantsAndSelf().OfType<IObjectCreationOperation>())
                    {
                        AddCreatedAttributeFacts(creation, facts, ".WithMetadata(" + creation.Type?.Name + ") " + label, audit);
                    }
                }

                break;
            case "AddEndpointFilter":
                foreach (var filterType in method.TypeArguments.Concat(arguments.Select(a => Unwrap(a.Value)?.Type)))
                {
                    if (filterType is not null && filterType.TypeKind != TypeKind.Delegate &&
                        (IsAuditName(filterType.Name) || audit.Audits(filterType, AuditHook.EndpointFilter, null, CancellationToken.None, out _)))
                    {
                        facts.AddAudit(null, ".AddEndpointFilter<" + filterType.Name + ">() " + label);
                        break;
                    }
                }

                // AddEndpointFilter(async (context, next) => { await audit.LogAsync(...); return await next(context); })
                foreach (var argument in arguments)
                {
                    if (Unwrap(argument.Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } &&
                        audit.DescribeAudit(lambda, lambda.Symbol.ContainingType) is { } evidence)
                    {
                        facts.AddAudit(null, ".AddEndpointFilter(lambda " + evidence + ") " + label);
                    }
                }

                break;
        }
    }

    private void AddRequireAuthorization(List<IArgumentOperation> arguments, SecurityFacts facts, string source, AuditModel audit)
    {
        bool any = false;
        foreach (var argument in arguments)
        {
            var parameterType = argument.Parameter?.Type;
            if (parameterType is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_String })
            {
                foreach (var policy in StringConstants(argument.Value))
                {
                    facts.AddAuthorize(policy, null, source);
                    any = true;
                }

                // A policy name the code computes (a static readonly field, configuration) is still a named policy.
                if (!any && Unwrap(argument.Value) is IArrayCreationOperation { Initializer.ElementValues.Length: > 0 } names)
                {
                    foreach (var name in names.Initializer!.ElementValues)
                    {
                        facts.AddAuthorize("{" + name.Syntax + "}", null, source);
                        any = true;
                    }
                }
            }
            else if (parameterType is IArrayTypeSymbol)
            {
                foreach (var creation in argument.Value.DescendantsAndSelf().OfType<IObjectCreationOperation>())
                {
                    AddCreatedAttributeFacts(creation, facts, source, audit);
                    any = true;
                }
            }
            else if (!IsNullLiteral(argument.Value))
            {
                // An AuthorizationPolicy value or a policy builder callback: read the roles it requires.
                facts.AddInlinePolicy(RequiredRoles(argument.Value), source, ClassifyPolicy(argument.Value) != PolicyKind.AuthenticationOnly);
                any = true;
            }
        }

        if (!any)
        {
            facts.AddAuthorize(null, null, source);
        }
    }

    /// <summary>Roles named in <c>RequireRole("a", "b")</c> calls inside a policy expression.</summary>
    private static IEnumerable<string> RequiredRoles(IOperation operation)
    {
        foreach (var invocation in operation.DescendantsAndSelf().OfType<IInvocationOperation>())
        {
            if (invocation.TargetMethod.Name == "RequireRole")
            {
                foreach (var argument in invocation.Arguments)
                {
                    foreach (var role in StringConstants(argument.Value))
                    {
                        yield return role;
                    }
                }
            }
        }
    }

    /// <summary>
    /// <c>new AuthorizeAttribute("policy") { Roles = "..." }</c>, a custom <c>AuthorizeAttribute</c>,
    /// <c>new AllowAnonymousAttribute()</c>, <c>new AuditPhiAccessAttribute(...)</c>.
    /// </summary>
    private void AddCreatedAttributeFacts(IObjectCreationOperation creation, SecurityFacts facts, string source, AuditModel audit)
    {
        if (creation.Type is not INamedTypeSymbol type)
        {
            return;
        }

        if (IsAllowAnonymous(type))
        {
            facts.AddAnonymous(source, creation.Syntax.GetLocation());
        }
        else if (IsAuthorizeData(type))
        {
            string? policy = null;
            string? roles = null;
            foreach (var initializer in creation.Initializer?.Initializers ?? ImmutableArray<IOperation>.Empty)
            {
                if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment &&
                    ConstantString(assignment.Value) is { } value)
                {
                    if (property.Property.Name == "Policy")
                    {
                        policy = value;
                    }
                    else if (property.Property.Name == "Roles")
                    {
                        roles = value;
                    }
                }
            }

            if (IsPlainAuthorize(type))
            {
                policy ??= creation.Arguments.Length > 0 ? ConstantString(creation.Arguments[0].Value) : null;
                facts.AddAuthorize(policy, roles, source);
            }
            else
            {
                var arguments = new Dictionary<IParameterSymbol, object?>(SymbolEqualityComparer.Default);
                foreach (var argument in creation.Arguments)
                {
                    if (argument.Parameter is { } parameter)
                    {
                        arguments[parameter.OriginalDefinition] = Evaluate(argument.Value, null);
                    }
                }

                AddCustomAuthorize(type, creation.Constructor, arguments, policy, roles, facts, source);
            }
        }
        else if (IsAuditName(type.Name))
        {
            facts.AddAudit(creation.Arguments.Length > 0 ? EnumMemberName(creation.Arguments[0].Value) : null, source);
        }
    }

    private void CollectGlobalFilter(IInvocationOperation invocation, AppConventions.Builder conventions, AuditModel audit, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        var value = invocation.Arguments.Length > 0 ? Unwrap(invocation.Arguments[0].Value) : null;
        var filterType = method.TypeArguments.FirstOrDefault() ?? (value as ITypeOfOperation)?.TypeOperand ?? value?.Type;
        if (value is IObjectCreationOperation { Type.Name: "TypeFilterAttribute" or "ServiceFilterAttribute", Arguments.Length: > 0 } wrapper &&
            Unwrap(wrapper.Arguments[0].Value) is ITypeOfOperation wrapped)
        {
            filterType = wrapped.TypeOperand;
        }

        if (filterType is null)
        {
            return;
        }

        var note = "global filter " + filterType.Name + " in " + Where(invocation);
        var facts = new SecurityFacts();
        if (filterType.Name == "AuthorizeFilter")
        {
            var source = "global AuthorizeFilter";
            var creation = value as IObjectCreationOperation;
            var argument = creation?.Arguments.FirstOrDefault();
            if (argument is null)
            {
                facts.AddAuthorize(null, null, source);
            }
            else if (ConstantString(argument.Value) is { } policy)
            {
                facts.AddAuthorize(policy, null, source);
            }
            else if (argument.Parameter?.Type is IArrayTypeSymbol)
            {
                facts.AddAuthorize(null, null, source);
                foreach (var attribute in argument.Value.DescendantsAndSelf().OfType<IObjectCreationOperation>())
                {
                    AddCreatedAttributeFacts(attribute, facts, source, audit);
                }
            }
            else
            {
                facts.AddInlinePolicy(RequiredRoles(argument.Value), source, ClassifyPolicy(argument.Value) != PolicyKind.AuthenticationOnly);
            }
        }
        else if (filterType.Name == "AllowAnonymousFilter")
        {
            facts.AddAnonymous("global AllowAnonymousFilter", invocation.Syntax.GetLocation());
        }
        else
        {
            if (IsAuditName(filterType.Name))
            {
                var creation = value as IObjectCreationOperation;
                facts.AddAudit(creation is { Arguments.Length: > 0 } ? EnumMemberName(creation.Arguments[0].Value) : null, note);
            }
            else if (audit.Audits(filterType, AuditHook.Filter, null, cancellationToken, out var detail))
            {
                facts.AddAudit(null, detail is null ? note : note + " (" + detail + ")");
            }

            if (AuditModel.IsAuthorizationFilter(filterType))
            {
                facts.AddCustomRequirement("authorization filter " + filterType.Name, note);
            }
        }

        if (!facts.IsEmpty)
        {
            conventions.AddGlobalFilter(facts, note);
        }
    }

    /// <summary>
    /// The facts of attributes on an action, a controller, a page model or a handler. <paramref name="mvc"/>: MVC
    /// filter attributes run (controllers and pages, not minimal API handlers).
    /// </summary>
    private void AddAttributeFacts(ImmutableArray<AttributeData> attributes, SecurityFacts facts, string where, AuditModel audit, CancellationToken cancellationToken, bool mvc = true)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.AttributeClass is not { } type)
            {
                continue;
            }

            var source = "[" + StripSuffix(type.Name, "Attribute") + "] " + where;
            if (IsAllowAnonymous(type))
            {
                facts.AddAnonymous(source, attribute.ApplicationSyntaxReference is { } reference
                    ? Location.Create(reference.SyntaxTree, reference.Span)
                    : null);
            }
            else if (IsAuthorizeData(type))
            {
                string? policy = null;
                string? roles = null;
                foreach (var named in attribute.NamedArguments)
                {
                    if (named.Key == "Policy" && named.Value.Value is string p)
                    {
                        policy = p;
                    }
                    else if (named.Key == "Roles" && named.Value.Value is string r)
                    {
                        roles = r;
                    }
                }

                if (IsPlainAuthorize(type))
                {
                    facts.AddAuthorize(policy ?? StringArgument(attribute), roles, source);
                }
                else
                {
                    var arguments = new Dictionary<IParameterSymbol, object?>(SymbolEqualityComparer.Default);
                    if (attribute.AttributeConstructor is { } constructor)
                    {
                        for (int i = 0; i < constructor.Parameters.Length && i < attribute.ConstructorArguments.Length; i++)
                        {
                            arguments[constructor.Parameters[i].OriginalDefinition] = ValueOf(attribute.ConstructorArguments[i]);
                        }
                    }

                    AddCustomAuthorize(type, attribute.AttributeConstructor, arguments, policy, roles, facts, source);
                }
            }
            else if (IsAuditName(type.Name))
            {
                string? action = null;
                if (attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0] is { Kind: TypedConstantKind.Enum } enumArgument)
                {
                    action = EnumMemberName(enumArgument);
                }

                facts.AddAudit(action, source);
            }
            else if (mvc)
            {
                // [TypeFilter(typeof(AuditFilter))], [ServiceFilter(typeof(...))], or an attribute that is a filter itself.
                var filterType = type.Name is "TypeFilterAttribute" or "ServiceFilterAttribute" && attribute.ConstructorArguments.Length > 0
                    ? attribute.ConstructorArguments[0].Value as ITypeSymbol
                    : type;
                if (filterType is null)
                {
                    continue;
                }

                var display = SymbolEqualityComparer.Default.Equals(filterType, type) ? "[" + StripSuffix(type.Name, "Attribute") + "]" : filterType.Name;
                if (AuditModel.IsAuthorizationFilter(filterType))
                {
                    facts.AddCustomRequirement("authorization filter " + display, source);
                }

                if (AuditModel.IsFilterType(filterType) && audit.Audits(filterType, AuditHook.Filter, null, cancellationToken, out var detail))
                {
                    facts.AddAudit(null, detail is null ? source : source + " (" + detail + ")");
                }
            }
        }
    }

    // ---- Custom authorization attributes ---------------------------------------------------------------------------

    /// <summary>A value the model cannot read: computed at run time from something other than the attribute's arguments.</summary>
    private static readonly object Unreadable = new();

    /// <summary>
    /// A custom <c>AuthorizeAttribute</c> (or other <c>IAuthorizeData</c>): the policy and roles its constructors pass
    /// to the base constructor (<c>: base(policy: permission.ToString())</c>, <c>: base($"Permission:{permission}")</c>)
    /// or assign (<c>Policy = ...</c>, <c>Roles = ...</c>, also as property initializers), read with the arguments of
    /// this use. A value it cannot read narrows ("policy from [HasPermission]"), as does any subclass declared in a
    /// library; a subclass that sets nothing is authentication only.
    /// </summary>
    private void AddCustomAuthorize(
        INamedTypeSymbol type,
        IMethodSymbol? constructor,
        Dictionary<IParameterSymbol, object?> arguments,
        string? namedPolicy,
        string? namedRoles,
        SecurityFacts facts,
        string source)
    {
        var (policy, roles) = ReadAuthorizeData(type, constructor, arguments, 0);
        if (namedPolicy is not null)
        {
            policy = namedPolicy;
        }

        if (namedRoles is not null)
        {
            roles = namedRoles;
        }

        facts.AddAuthorize(policy as string, roles as string, source);
        if (policy == Unreadable || roles == Unreadable)
        {
            facts.AddCustomRequirement("policy from [" + StripSuffix(type.Name, "Attribute") + "]", source);
        }
    }

    /// <summary>
    /// The policy and roles an <c>IAuthorizeData</c> type sets when built with <paramref name="constructor"/>: each a
    /// string, null (not set) or <see cref="Unreadable"/>.
    /// </summary>
    private (object? Policy, object? Roles) ReadAuthorizeData(
        INamedTypeSymbol type, IMethodSymbol? constructor, Dictionary<IParameterSymbol, object?> arguments, int depth)
    {
        if (IsPlainAuthorize(type))
        {
            // AuthorizeAttribute() or AuthorizeAttribute(string policy).
            var parameter = constructor?.Parameters.FirstOrDefault();
            return (parameter is not null && arguments.TryGetValue(parameter.OriginalDefinition, out var value) ? value : null, null);
        }

        if (!CodeOrigin.IsDeclaredIn(type, Compilation) || depth > MaxScopeDepth)
        {
            return (Unreadable, null);
        }

        var read = ReadConstructor(constructor);
        (object? Policy, object? Roles) result = (null, null);

        // The base (or this) constructor call first: base(policy: permission.ToString()).
        if (read.Chained is { } chained)
        {
            var chainedArguments = new Dictionary<IParameterSymbol, object?>(SymbolEqualityComparer.Default);
            foreach (var argument in chained.Arguments)
            {
                if (argument.Parameter is { } parameter)
                {
                    chainedArguments[parameter.OriginalDefinition] = Evaluate(argument.Value, arguments);
                }
            }

            result = ReadAuthorizeData(chained.TargetMethod.ContainingType, chained.TargetMethod, chainedArguments, depth + 1);
        }
        else if (type.BaseType is { } baseType && IsAuthorizeData(baseType))
        {
            var parameterless = baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0);
            result = ReadAuthorizeData(baseType, parameterless, new Dictionary<IParameterSymbol, object?>(SymbolEqualityComparer.Default), depth + 1);
        }

        // Property initializers of the type: public new string? Policy { get; set; } = "...".
        foreach (var member in type.GetMembers())
        {
            if (member is IPropertySymbol { Name: "Policy" or "Roles" } property && PropertyInitializer(property) is { } initializer)
            {
                var value = Evaluate(initializer, null);
                result = property.Name == "Policy" ? (value, result.Roles) : (result.Policy, value);
            }
        }

        // Then the constructor body: Policy = ..., Roles = ....
        foreach (var (name, value) in read.Assignments)
        {
            var evaluated = Evaluate(value, arguments);
            result = name == "Policy" ? (evaluated, result.Roles) : (result.Policy, evaluated);
        }

        return result;
    }

    /// <summary>The constructor's base or this call and its assignments to Policy and Roles, read once per constructor.</summary>
    private AuthorizeConstructor ReadConstructor(IMethodSymbol? constructor)
    {
        if (constructor is null || constructor.IsImplicitlyDeclared)
        {
            return AuthorizeConstructor.None;
        }

        return _authorizeConstructors.GetOrAdd(constructor.OriginalDefinition, c =>
        {
            IInvocationOperation? chained = null;
            var assignments = new List<(string, IOperation)>();
            foreach (var reference in c.DeclaringSyntaxReferences)
            {
                if (!Compilation.ContainsSyntaxTree(reference.SyntaxTree) ||
                    Compilation.GetSemanticModel(reference.SyntaxTree).GetOperation(reference.GetSyntax()) is not IConstructorBodyOperation body)
                {
                    continue;
                }

                chained ??= body.Initializer?.DescendantsAndSelf().OfType<IInvocationOperation>()
                    .FirstOrDefault(i => i.TargetMethod.MethodKind == MethodKind.Constructor);
                foreach (var part in new IOperation?[] { body.BlockBody, body.ExpressionBody })
                {
                    foreach (var assignment in part?.DescendantsAndSelf().OfType<ISimpleAssignmentOperation>() ?? Enumerable.Empty<ISimpleAssignmentOperation>())
                    {
                        if (assignment.Target is IPropertyReferenceOperation { Property.Name: "Policy" or "Roles", Instance: IInstanceReferenceOperation } target)
                        {
                            assignments.Add((target.Property.Name, assignment.Value));
                        }
                    }
                }
            }

            return new AuthorizeConstructor(chained, assignments);
        });
    }

    private IOperation? PropertyInitializer(IPropertySymbol property)
    {
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is PropertyDeclarationSyntax { Initializer: { } initializer } &&
                Compilation.ContainsSyntaxTree(reference.SyntaxTree) &&
                Compilation.GetSemanticModel(reference.SyntaxTree).GetOperation(initializer) is IPropertyInitializerOperation operation)
            {
                return operation.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// The string a constructor argument or assignment evaluates to with the attribute's arguments: constants, the
    /// constructor's parameters, <c>.ToString()</c> of an enum, interpolation, <c>+</c> and <c>string.Join</c>.
    /// A string, a string array, null, or <see cref="Unreadable"/>.
    /// </summary>
    private static object? Evaluate(IOperation operation, Dictionary<IParameterSymbol, object?>? arguments)
    {
        var value = Unwrap(operation) ?? operation;
        if (value.ConstantValue.HasValue)
        {
            var constant = value.ConstantValue.Value;
            if (constant is null || constant is string)
            {
                return constant;
            }

            return value.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType
                ? EnumMemberName(new EnumConstant(enumType, constant))
                : Convert.ToString(constant, System.Globalization.CultureInfo.InvariantCulture);
        }

        switch (value)
        {
            case IParameterReferenceOperation parameter:
                return arguments is not null && arguments.TryGetValue(parameter.Parameter.OriginalDefinition, out var argument) ? argument : Unreadable;

            case IFieldReferenceOperation { Field: { HasConstantValue: false, ContainingType.TypeKind: TypeKind.Enum } }:
                return Unreadable;

            case IInvocationOperation { TargetMethod.Name: "ToString", Arguments.Length: 0, Instance: { } instance }:
                return Evaluate(instance, arguments) is string text ? text : Unreadable;

            case IInvocationOperation { TargetMethod: { Name: "Join", ContainingType.SpecialType: SpecialType.System_String } } join when join.Arguments.Length == 2:
            {
                var separator = Evaluate(join.Arguments[0].Value, arguments);
                var values = Evaluate(join.Arguments[1].Value, arguments);
                return separator is string or char && values is string[] parts ? string.Join(separator.ToString(), parts) : Unreadable;
            }

            case IInterpolatedStringOperation interpolated:
            {
                var builder = new System.Text.StringBuilder();
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolatedStringTextOperation textPart when Evaluate(textPart.Text, arguments) is string literal:
                            builder.Append(literal);
                            break;
                        case IInterpolationOperation { Alignment: null, FormatString: null } interpolation when Evaluate(interpolation.Expression, arguments) is var inner && inner is null or string:
                            builder.Append((string?)inner);
                            break;
                        default:
                            return Unreadable;
                    }
                }

                return builder.ToString();
            }

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation:
            {
                var left = Evaluate(concatenation.LeftOperand, arguments);
                var right = Evaluate(concatenation.RightOperand, arguments);
                return left is null or string && right is null or string ? (string?)left + (string?)right : Unreadable;
            }

            case IArrayCreationOperation { Initializer: { } initializer }:
            {
                var parts = new string[initializer.ElementValues.Length];
                for (int i = 0; i < parts.Length; i++)
                {
                    if (Evaluate(initializer.ElementValues[i], arguments) is not string part)
                    {
                        return Unreadable;
                    }

                    parts[i] = part;
                }

                return parts;
            }

            default:
                return Unreadable;
        }
    }

    /// <summary>An attribute argument as <see cref="Evaluate"/> sees it: a string, an enum member's name, a string array.</summary>
    private static object? ValueOf(TypedConstant constant)
    {
        switch (constant.Kind)
        {
            case TypedConstantKind.Enum:
                return EnumMemberName(constant);
            case TypedConstantKind.Primitive:
                return constant.Value is null or string ? constant.Value : Convert.ToString(constant.Value, System.Globalization.CultureInfo.InvariantCulture);
            case TypedConstantKind.Type:
                return (constant.Value as ITypeSymbol)?.Name;
            case TypedConstantKind.Array:
                if (constant.IsNull)
                {
                    return null;
                }

                var parts = new string[constant.Values.Length];
                for (int i = 0; i < parts.Length; i++)
                {
                    if (ValueOf(constant.Values[i]) is not string part)
                    {
                        return Unreadable;
                    }

                    parts[i] = part;
                }

                return parts;
            default:
                return Unreadable;
        }
    }

    private static string? EnumMemberName(EnumConstant constant)
    {
        foreach (var member in constant.Type.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field && Equals(field.ConstantValue, constant.Value))
            {
                return field.Name;
            }
        }

        return Convert.ToString(constant.Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private readonly struct EnumConstant
    {
        public EnumConstant(INamedTypeSymbol type, object value)
        {
            Type = type;
            Value = value;
        }

        public INamedTypeSymbol Type { get; }
        public object Value { get; }
    }

    private sealed class AuthorizeConstructor
    {
        public static readonly AuthorizeConstructor None = new(null, new List<(string, IOperation)>());

        public AuthorizeConstructor(IInvocationOperation? chained, List<(string Name, IOperation Value)> assignments)
        {
            Chained = chained;
            Assignments = assignments;
        }

        /// <summary>The <c>base(...)</c> or <c>this(...)</c> call.</summary>
        public IInvocationOperation? Chained { get; }

        /// <summary>Assignments to Policy and Roles in the body, in order.</summary>
        public List<(string Name, IOperation Value)> Assignments { get; }
    }

    /// <summary>ASP.NET Core's own <c>[Authorize]</c> (or a type named the same way): its first argument is the policy.</summary>
    private static bool IsPlainAuthorize(INamedTypeSymbol type) => type.Name == "AuthorizeAttribute";

    private static bool IsAuthorizeData(INamedTypeSymbol type) =>
        type.Name == "AuthorizeAttribute" || Interfaces.Of(type).Any(i => i.Name == "IAuthorizeData");

    private static bool IsAllowAnonymous(INamedTypeSymbol type) =>
        type.Name == "AllowAnonymousAttribute" || Interfaces.Of(type).Any(i => i.Name == "IAllowAnonymous");

    /// <summary>The runtime's <c>[AuditPhiAccess]</c> attribute and filters, or a team's own type named the same way.</summary>
    private static bool IsAuditName(string name) => name.StartsWith("AuditPhiAccess", StringComparison.Ordinal);

    private static bool IsNullLiteral(IOperation operation) =>
        Unwrap(operation) is { ConstantValue: { HasValue: true, Value: null } };

    // ---- Minimal API shapes -------------------------------------------------------------------------------------

    private static bool IsAspNetCoreType(INamedTypeSymbol? type, string name) =>
        type is not null && type.Name == name &&
        TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.AspNetCore");

    /// <summary>MapGet, MapPost, MapPut, MapDelete, MapPatch, MapMethods, Map and MapFallback on an endpoint route builder.</summary>
    public static bool IsEndpointMap(IMethodSymbol method) =>
        method.Name is "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" or "MapMethods" or "Map" or "MapFallback" &&
        (IsAspNetCoreType(method.ContainingType, "EndpointRouteBuilderExtensions") ||
         IsAspNetCoreType(method.ContainingType, "FallbackEndpointRouteBuilderExtensions")) &&
        method.Parameters.Any(p => p.Name is "handler" or "requestDelegate");

    private static bool IsMapGroup(IMethodSymbol method) =>
        method.Name == "MapGroup" && IsAspNetCoreType(method.ContainingType, "EndpointRouteBuilderExtensions");

    private static bool IsControllerMap(IMethodSymbol method) =>
        method.Name is "MapControllers" or "MapControllerRoute" or "MapDefaultControllerRoute" or "MapAreaControllerRoute" &&
        IsAspNetCoreType(method.ContainingType, "ControllerEndpointRouteBuilderExtensions");

    /// <summary>A call that configures an endpoint builder and returns it: RequireAuthorization, WithTags, AuditPhiAccess ...</summary>
    private static bool IsConventionCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (IsEndpointMap(method) || IsMapGroup(method) || method.ReturnsVoid)
        {
            return false;
        }

        var receiver = method.IsExtensionMethod ? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null) : invocation.Instance;
        return receiver is not null && IsConventionBuilderType(method.ReturnType) && IsConventionBuilderType(Unwrap(receiver)?.Type);
    }

    private static bool IsConventionBuilderType(ITypeSymbol? type) =>
        type is not null &&
        (type.Name == "IEndpointConventionBuilder" || Interfaces.Of(type).Any(i => i.Name == "IEndpointConventionBuilder"));

    private static bool IsGroupType(ITypeSymbol? type) => type?.Name == "RouteGroupBuilder";

    private static bool IsRouteBuilderType(ITypeSymbol? type) =>
        type is not null &&
        (type.Name is "IEndpointRouteBuilder" or "RouteGroupBuilder" or "WebApplication" ||
         Interfaces.Of(type).Any(i => i.Name == "IEndpointRouteBuilder"));

    private static IOperation? Receiver(IInvocationOperation invocation) =>
        invocation.TargetMethod.IsExtensionMethod
            ? invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null
            : invocation.Instance;

    private static IArgumentOperation? Argument(IInvocationOperation invocation, string parameterName)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == parameterName)
            {
                return argument;
            }
        }

        return null;
    }

    private static ImmutableArray<string> Verbs(IInvocationOperation invocation)
    {
        switch (invocation.TargetMethod.Name)
        {
            case "MapGet": return ImmutableArray.Create("GET");
            case "MapPost": return ImmutableArray.Create("POST");
            case "MapPut": return ImmutableArray.Create("PUT");
            case "MapDelete": return ImmutableArray.Create("DELETE");
            case "MapPatch": return ImmutableArray.Create("PATCH");
            case "MapMethods":
                return Argument(invocation, "httpMethods") is { } methods
                    ? StringConstants(methods.Value).Select(m => m.ToUpperInvariant()).Distinct().ToImmutableArray()
                    : ImmutableArray<string>.Empty;
            default: return ImmutableArray<string>.Empty;
        }
    }

    /// <summary>The delegate a Map call is handed (its <c>handler</c> or <c>requestDelegate</c>), conversions unwrapped.</summary>
    private static IOperation? HandlerArgument(IInvocationOperation invocation) =>
        Unwrap((Argument(invocation, "handler") ?? Argument(invocation, "requestDelegate"))?.Value);

    private static IMethodSymbol? Handler(IInvocationOperation invocation) => HandlerArgument(invocation) switch
    {
        IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda.Symbol,
        IDelegateCreationOperation { Target: IMethodReferenceOperation reference } => reference.Method,
        IAnonymousFunctionOperation lambda => lambda.Symbol,
        IMethodReferenceOperation reference => reference.Method,
        _ => null,
    };

    private static IAnonymousFunctionOperation? HandlerLambda(IInvocationOperation invocation) =>
        HandlerArgument(invocation) switch
        {
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda,
            IAnonymousFunctionOperation lambda => lambda,
            _ => null,
        };

    private static string HandlerName(IMethodSymbol handler)
    {
        if (handler.MethodKind is MethodKind.AnonymousFunction or MethodKind.LambdaMethod)
        {
            return "lambda in " + MemberName(handler.ContainingSymbol);
        }

        if (handler.MethodKind == MethodKind.LocalFunction)
        {
            return handler.Name + " in " + MemberName(handler.ContainingSymbol);
        }

        return (handler.ContainingType is { } type ? type.Name + "." : string.Empty) + handler.Name;
    }

    private static string MemberName(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LambdaMethod or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        if (symbol is IMethodSymbol { Name: "<Main>$" } main)
        {
            return main.ContainingType?.Name ?? "top-level statements";
        }

        return symbol is null ? "?" : (symbol.ContainingType is { } type ? type.Name + "." : string.Empty) + symbol.Name;
    }

    /// <summary>A route pattern argument as text: its constant value, or the expression in braces when it is computed.</summary>
    private static string RouteText(IOperation operation)
    {
        var value = Unwrap(operation) ?? operation;
        return ConstantString(value) ?? "{" + value.Syntax.ToString() + "}";
    }

    private static string? ConstantString(IOperation operation) =>
        operation.ConstantValue.HasValue ? operation.ConstantValue.Value as string : null;

    /// <summary>The string constants in an expression (an array of literals, a params list), outermost first.</summary>
    private static IEnumerable<string> StringConstants(IOperation operation)
    {
        var pending = new Stack<IOperation>();
        pending.Push(operation);
        var found = new List<(int Start, string Text)>();
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (ConstantString(current) is { } text)
            {
                found.Add((current.Syntax.SpanStart, text));
                continue;
            }

            foreach (var child in current.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return found.OrderBy(f => f.Start).Select(f => f.Text);
    }

    private static string? EnumMemberName(IOperation operation) =>
        Unwrap(operation) switch
        {
            IFieldReferenceOperation field => field.Field.Name,
            { } other => ConstantString(other),
            _ => null,
        };

    private static string? EnumMemberName(TypedConstant constant)
    {
        if (constant.Type is INamedTypeSymbol type && constant.Value is not null)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IFieldSymbol { HasConstantValue: true } field && Equals(field.ConstantValue, constant.Value))
                {
                    return field.Name;
                }
            }
        }

        return constant.Value?.ToString();
    }

    // ---- Controllers ----------------------------------------------------------------------------------------------

    private static IEnumerable<IMethodSymbol> Actions(INamedTypeSymbol controller)
    {
        var overridden = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        for (var t = controller; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            if (IsAspNetCoreType(t, t.Name))
            {
                break;
            }

            foreach (var member in t.GetMembers())
            {
                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public, IsStatic: false } method ||
                    method.IsAbstract || method.IsGenericMethod || overridden.Contains(method) ||
                    FindAttribute(method, "NonActionAttribute") is not null ||
                    method.Name is "Dispose" or "ToString" or "Equals" or "GetHashCode")
                {
                    continue;
                }

                for (var o = method.OverriddenMethod; o is not null; o = o.OverriddenMethod)
                {
                    overridden.Add(o);
                }

                yield return method;
            }
        }
    }

    private static string ActionName(IMethodSymbol action)
    {
        if (FindAttribute(action, "ActionNameAttribute") is { } attribute && StringArgument(attribute) is { } name)
        {
            return name;
        }

        // MVC drops the Async suffix from action names by default.
        return action.Name.Length > "Async".Length ? StripSuffix(action.Name, "Async") : action.Name;
    }

    /// <summary>[Route] templates of the controller (or the nearest base class that has them); one null entry when there are none.</summary>
    private static List<string?> ControllerTemplates(INamedTypeSymbol controller)
    {
        for (var t = controller; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            var templates = t.GetAttributes()
                .Where(a => a.AttributeClass?.Name == "RouteAttribute")
                .Select(StringArgument)
                .ToList();
            if (templates.Count > 0)
            {
                return templates;
            }
        }

        return new List<string?> { null };
    }

    /// <summary>(verbs, template) pairs from [HttpGet("x")], [AcceptVerbs(...)] and [Route("x")] on an action.</summary>
    private static List<(ImmutableArray<string> Verbs, string? Template)> ActionTemplates(IMethodSymbol action)
    {
        var pairs = new List<(ImmutableArray<string>, string?)>();
        var routeTemplates = new List<string?>();
        var verbsWithoutTemplate = new List<string>();
        foreach (var attribute in action.GetAttributes())
        {
            var name = attribute.AttributeClass?.Name;
            if (name == "RouteAttribute")
            {
                routeTemplates.Add(StringArgument(attribute));
                continue;
            }

            ImmutableArray<string> verbs;
            string? template;
            if (name == "AcceptVerbsAttribute")
            {
                verbs = attribute.ConstructorArguments
                    .SelectMany(a => a.Kind == TypedConstantKind.Array ? a.Values : ImmutableArray.Create(a))
                    .Select(v => v.Value as string)
                    .Where(v => v is not null)
                    .Select(v => v!.ToUpperInvariant())
                    .ToImmutableArray();
                template = attribute.NamedArguments.FirstOrDefault(n => n.Key == "Route").Value.Value as string;
            }
            else if (name is not null && name.StartsWith("Http", StringComparison.Ordinal) && name.EndsWith("Attribute", StringComparison.Ordinal) &&
                     name.Length > "HttpAttribute".Length && IsAspNetCoreType(attribute.AttributeClass, name))
            {
                verbs = ImmutableArray.Create(name.Substring(4, name.Length - 4 - "Attribute".Length).ToUpperInvariant());
                template = StringArgument(attribute);
            }
            else
            {
                continue;
            }

            if (template is null)
            {
                verbsWithoutTemplate.AddRange(verbs);
            }
            else
            {
                pairs.Add((verbs, template));
            }
        }

        var shared = verbsWithoutTemplate.Distinct().ToImmutableArray();
        foreach (var template in routeTemplates)
        {
            pairs.Add((shared, template));
        }

        if (routeTemplates.Count == 0 && (shared.Length > 0 || pairs.Count == 0))
        {
            pairs.Add((shared, null));
        }

        return pairs;
    }

    /// <summary>Action templates that start with '/' or '~/' ignore the controller's route; null means no attribute route at all.</summary>
    private static IEnumerable<(string? Route, bool Complete)> CombineControllerRoute(List<string?> controllerTemplates, string? template)
    {
        if (template is not null && (template.StartsWith("/", StringComparison.Ordinal) || template.StartsWith("~/", StringComparison.Ordinal)))
        {
            yield return (template.TrimStart('~'), true);
            yield break;
        }

        foreach (var controllerTemplate in controllerTemplates)
        {
            yield return controllerTemplate is null && template is null
                ? (null, false)
                : (Combine(controllerTemplate ?? string.Empty, template), true);
        }
    }

    private static string ReplaceTokens(string route, string controller, string action, string? area)
    {
        route = ReplaceIgnoreCase(route, "[controller]", controller);
        route = ReplaceIgnoreCase(route, "[action]", action);
        return area is null ? route : ReplaceIgnoreCase(route, "[area]", area);
    }

    private static string ReplaceIgnoreCase(string text, string token, string value)
    {
        int index;
        while ((index = text.IndexOf(token, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            text = text.Substring(0, index) + value + text.Substring(index + token.Length);
        }

        return text;
    }

    internal static AttributeData? FindAttribute(ISymbol symbol, string attributeName)
    {
        for (var s = symbol; s is not null;)
        {
            foreach (var attribute in s.GetAttributes())
            {
                if (attribute.AttributeClass?.Name == attributeName)
                {
                    return attribute;
                }
            }

            s = s is INamedTypeSymbol type && type.BaseType is { SpecialType: SpecialType.None } baseType ? baseType : null;
        }

        return null;
    }

    private static string? StringArgument(AttributeData attribute) =>
        attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Primitive
            ? attribute.ConstructorArguments[0].Value as string
            : null;

    // ---- Routes, operations, bodies -------------------------------------------------------------------------------

    private static string Combine(string prefix, string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return prefix;
        }

        if (string.IsNullOrEmpty(prefix))
        {
            return pattern!;
        }

        return prefix.TrimEnd('/') + "/" + pattern!.TrimStart('/');
    }

    private static string NormalizeRoute(string route)
    {
        route = route.Trim();
        if (route.StartsWith("~", StringComparison.Ordinal))
        {
            route = route.Substring(1);
        }

        if (!route.StartsWith("/", StringComparison.Ordinal))
        {
            route = "/" + route;
        }

        return route.Length > 1 ? route.TrimEnd('/') : route;
    }

    private static string GroupLabel(string prefix) => prefix.Length == 0 ? "/" : NormalizeRoute(prefix);

    private static string StripSuffix(string name, string suffix) =>
        name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length ? name.Substring(0, name.Length - suffix.Length) : name;

    /// <summary>"Program.cs:12".</summary>
    private static string Where(IOperation operation)
    {
        var span = operation.Syntax.GetLocation().GetLineSpan();
        var path = span.Path ?? string.Empty;
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return path.Substring(slash + 1) + ":" + (span.StartLinePosition.Line + 1);
    }

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation switch
            {
                IConversionOperation conversion => conversion.Operand,
                IParenthesizedOperation parenthesized => parenthesized.Operand,
                _ => operation,
            };
        }

        return operation;
    }

    private static IOperation? UpThroughConversions(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    private static BodyIndex IndexOf(IOperation operation) => BodyCache.For(operation).Get(BodyIndexSlot, root => new BodyIndex(root));

    private static readonly BodyCache.Slot<BodyIndex> BodyIndexSlot = BodyCache.NewSlot<BodyIndex>();

    /// <summary>The locals of one member body: what each is initialized with and the calls made on it.</summary>
    private sealed class BodyIndex
    {
        public BodyIndex(IOperation root)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                        Initializers[declarator.Symbol] = initializer.Value;
                        break;
                    case IInvocationOperation invocation when Unwrap(Receiver(invocation)) is ILocalReferenceOperation local:
                        if (!Calls.TryGetValue(local.Local, out var calls))
                        {
                            Calls[local.Local] = calls = new List<IInvocationOperation>();
                        }

                        calls.Add(invocation);
                        break;
                }
            }
        }

        public Dictionary<ILocalSymbol, IOperation> Initializers { get; } = new(SymbolEqualityComparer.Default);

        public Dictionary<ILocalSymbol, List<IInvocationOperation>> Calls { get; } = new(SymbolEqualityComparer.Default);
    }

    /// <summary>The operation trees of every member body in a tree: methods, constructors, accessors and top-level statements.</summary>
    private static IEnumerable<IOperation> OperationRoots(SemanticModel model, CancellationToken cancellationToken)
    {
        var root = model.SyntaxTree.GetRoot(cancellationToken);
        if (root is CompilationUnitSyntax unit && unit.Members.Any(m => m is GlobalStatementSyntax) &&
            model.GetOperation(unit, cancellationToken) is { } topLevel)
        {
            yield return topLevel;
        }

        foreach (var node in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax or
                     BasePropertyDeclarationSyntax or AccessorListSyntax))
        {
            SyntaxNode? body = node switch
            {
                BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null => method,
                AccessorDeclarationSyntax accessor when accessor.Body is not null || accessor.ExpressionBody is not null => accessor,
                PropertyDeclarationSyntax { ExpressionBody: { } expressionBody } => expressionBody,
                _ => null,
            };
            if (body is not null && model.GetOperation(body, cancellationToken) is { } operation)
            {
                yield return operation;
            }
        }
    }
}
