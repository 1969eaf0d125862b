using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// The PHI endpoints of one compilation as the access-control and audit rules see them, shared by those rules and
/// cached per compilation: each Map call and each controller or page model is judged once, whichever rule asks first.
/// </summary>
/// <remarks>
/// The rules run from operation and symbol actions, so the IDE shows their diagnostics on the endpoint's own line
/// while the file is edited. What the endpoint's own code cannot say (a fallback policy, a global filter, conventions
/// on <c>MapControllers()</c>, the global audit option, the callers of a method that maps a group it is handed) comes
/// from <see cref="GetConventions"/>, computed once per compilation from the few nodes each file's cached
/// <see cref="AppScan"/> points at.
/// </remarks>
internal sealed class EndpointAnalysis
{
    public const string PolicyProperty = "Policy";
    public const string AuditActionProperty = "AuditAction";
    public const string KindProperty = "Kind";

    private static readonly ConditionalWeakTable<Compilation, EndpointAnalysis> Cache = new();
    private static readonly Regex AnonymousText = new(@"\[\s*(?:[\w.]+\.)?AllowAnonymous(?:Attribute)?\s*(?:\(\s*\))?\s*\]|\.\s*AllowAnonymous\s*\(\s*\)", RegexOptions.CultureInvariant);

    private readonly object _gate = new();
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private Dictionary<string, List<InvocationExpressionSyntax>>? _invocationsByName;
    private readonly ConcurrentDictionary<IMethodSymbol, IReadOnlyList<IInvocationOperation>> _callers = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxNode, ImmutableArray<PhiEndpoint>> _mapCalls = new();
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<PhiEndpoint>> _types = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, EndpointTypeRole> _roles = new(SymbolEqualityComparer.Default);
    private AppConventions? _conventions;

    private EndpointAnalysis(Compilation compilation)
    {
        Compilation = compilation;
        Model = EndpointModel.For(compilation);
    }

    public Compilation Compilation { get; }

    public EndpointModel Model { get; }

    public static EndpointAnalysis For(Compilation compilation) => Cache.GetValue(compilation, c => new EndpointAnalysis(c));

    /// <summary>
    /// The application-wide settings, read once per compilation (not cached when the read is cancelled); each
    /// setting is judged with the options of the file it is written in.
    /// </summary>
    public AppConventions GetConventions(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _conventions) is { } ready)
        {
            return ready;
        }

        lock (_gate)
        {
            if (_conventions is null)
            {
                var builder = new AppConventions.Builder();
                foreach (var tree in Compilation.SyntaxTrees)
                {
                    var scan = AppScan.For(tree, cancellationToken);
                    if (scan.Candidates.IsEmpty)
                    {
                        continue;
                    }

                    var model = SemanticModelFor(tree);
                    foreach (var node in scan.Candidates)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (EndpointModel.IsSaveChangesOverride(node))
                        {
                            if (model.GetDeclaredSymbol(node, cancellationToken) is IMethodSymbol save)
                            {
                                Model.CollectDeclaration(save, builder, options, cancellationToken);
                            }
                        }
                        else if (!EndpointModel.CollectRegistrationFromSyntax(node, model, builder, cancellationToken) &&
                                 model.GetOperation(node, cancellationToken) is { } operation)
                        {
                            Model.CollectAppConvention(operation, builder, options, cancellationToken);
                        }
                    }
                }

                Volatile.Write(ref _conventions, builder.ToConventions());
            }

            return _conventions!;
        }
    }

    /// <summary>
    /// What a class is to the endpoint rules, decided once per class for all of them: a controller or page model; a
    /// class of its own (not nested, not the program of top-level statements) whose file says "Map", whose Map calls
    /// are judged at the end of the class (the operation action and the symbol start action ask the same question, so
    /// each Map call is judged exactly once); or neither.
    /// </summary>
    public EndpointTypeRole RoleOf(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (_roles.TryGetValue(type, out var known))
        {
            return known;
        }

        var role = EndpointTypeRole.None;
        if (type.TypeKind == TypeKind.Class && (EndpointModel.IsController(type) || EndpointModel.IsPageModel(type)))
        {
            role = EndpointTypeRole.DeclaresEndpoints;
        }
        else if (type is { TypeKind: TypeKind.Class, ContainingType: null } && TypeEndOperations.CanWait(type))
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (SourceTexts.Mentions(reference.SyntaxTree, "Map", cancellationToken))
                {
                    role = EndpointTypeRole.MapsEndpoints;
                    break;
                }
            }
        }

        return _roles.GetOrAdd(type, role);
    }

    /// <summary>The PHI endpoints a Map call declares (one per caller of the method, when a group is handed in).</summary>
    public ImmutableArray<PhiEndpoint> ForMapCall(IInvocationOperation invocation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (!EndpointModel.IsEndpointMap(invocation.TargetMethod))
        {
            return ImmutableArray<PhiEndpoint>.Empty;
        }

        if (_mapCalls.TryGetValue(invocation.Syntax, out var cached))
        {
            return cached;
        }

        var conventions = GetConventions(options, cancellationToken);
        var inventory = PhiInventory.Create(Compilation, options);
        var result = ImmutableArray.CreateBuilder<PhiEndpoint>();
        foreach (var endpoint in Model.GetMinimalApiEndpoints(invocation, method => FindCallers(method, cancellationToken), options, conventions, cancellationToken))
        {
            if (endpoint.Handler is not { } handler)
            {
                continue;
            }

            var phi = DescribePhi(inventory, endpoint, handler, conventions, invocation.Syntax.SyntaxTree, cancellationToken) ??
                      Model.DescribeRecordAccess(endpoint, inventory, options, conventions, cancellationToken);
            if (phi is null)
            {
                continue;
            }

            var effective = conventions.Apply(endpoint);
            result.Add(new PhiEndpoint(effective, phi, invocation.Syntax.GetLocation(), DisabledAnonymousInChain(EndpointStatement(invocation.Syntax))));
        }

        return _mapCalls.GetOrAdd(invocation.Syntax, result.ToImmutable());
    }

    /// <summary>The PHI endpoints of a controller (its actions) or a page model (its handlers).</summary>
    public ImmutableArray<PhiEndpoint> ForType(INamedTypeSymbol type, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        bool controller = EndpointModel.IsController(type);
        if (!controller && !EndpointModel.IsPageModel(type))
        {
            return ImmutableArray<PhiEndpoint>.Empty;
        }

        if (_types.TryGetValue(type, out var cached))
        {
            return cached;
        }

        var conventions = GetConventions(options, cancellationToken);
        var inventory = PhiInventory.Create(Compilation, options);
        var typeSyntax = type.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as TypeDeclarationSyntax;
        var tree = typeSyntax?.SyntaxTree;
        var result = ImmutableArray.CreateBuilder<PhiEndpoint>();
        if (typeSyntax is null || tree is null)
        {
            return ImmutableArray<PhiEndpoint>.Empty;
        }

        var classAnonymous = new List<Location>();
        for (var t = type; t is not null && t.SpecialType == SpecialType.None && CodeOrigin.IsDeclaredIn(t, Compilation); t = t.BaseType)
        {
            foreach (var reference in t.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration)
                {
                    classAnonymous.AddRange(DisabledAnonymous(declaration, declaration.Identifier.SpanStart));
                }
            }
        }

        var pagePhi = controller ? ImmutableArray<(IPropertySymbol Property, string Description)>.Empty : inventory.PageModelPhi(type);
        var endpoints = controller
            ? Model.GetControllerActions(type, options, conventions, cancellationToken)
            : Model.GetPageHandlers(type, options, conventions, cancellationToken);
        var reported = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Handler is not { } action || !reported.Add(action))
            {
                continue;
            }

            var phi = DescribePhi(inventory, endpoint, action, conventions, tree, cancellationToken) ??
                      (pagePhi.IsEmpty ? null : DescribeShownPhi(inventory, endpoint, action, type, pagePhi, options, conventions, cancellationToken)) ??
                      Model.DescribeRecordAccess(endpoint, inventory, options, conventions, cancellationToken);
            if (phi is null)
            {
                continue;
            }

            // An action declared in this class is reported on its name; one inherited from a base class, on the class.
            var declaration = SymbolEqualityComparer.Default.Equals(action.ContainingType, type)
                ? action.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax
                : null;
            var location = declaration is not null ? declaration.Identifier.GetLocation() : typeSyntax.Identifier.GetLocation();
            var anonymous = new List<Location>(classAnonymous);
            if (declaration is not null && controller)
            {
                anonymous.AddRange(DisabledAnonymous(declaration, declaration.Identifier.SpanStart));
            }

            result.Add(new PhiEndpoint(conventions.Apply(endpoint), phi, location, anonymous.ToImmutableArray()));
        }

        return _types.GetOrAdd(type, result.ToImmutable());
    }

    private static string? DescribePhi(
        PhiInventory inventory, Endpoint endpoint, IMethodSymbol handler, AppConventions conventions, SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (inventory.DescribeFirstHandledPhi(handler, conventions.IsService, cancellationToken) is { } handled)
        {
            return handled;
        }

        var routeValues = inventory.DescribeRouteValues(endpoint.Route, tree);
        return routeValues.IsEmpty ? null : routeValues[0];
    }

    /// <summary>
    /// The first PHI property a page handler shows or takes. A GET handler shows a property that model binding fills
    /// only on POST (<c>[BindProperty] public Patient Patient { get; set; }</c>) only when it, or one method it calls,
    /// assigns it data (<c>Patient = await _db.Patients.FindAsync(id)</c>); otherwise the page shows an empty form.
    /// POST handlers take every bound property.
    /// </summary>
    private string? DescribeShownPhi(
        PhiInventory inventory,
        Endpoint endpoint,
        IMethodSymbol handler,
        INamedTypeSymbol pageModel,
        ImmutableArray<(IPropertySymbol Property, string Description)> pagePhi,
        AnalyzerOptions options,
        AppConventions conventions,
        CancellationToken cancellationToken)
    {
        bool reads = !endpoint.Verbs.IsDefaultOrEmpty && endpoint.Verbs.All(v => v is "GET" or "HEAD");
        HashSet<ISymbol>? assigned = null;
        foreach (var (property, description) in pagePhi)
        {
            if (!reads || !EndpointModel.IsBoundOnPostOnly(property, pageModel))
            {
                return description;
            }

            if (assigned is null)
            {
                assigned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                foreach (var (member, value) in Model.HandlerAssignments(handler, options, conventions, cancellationToken))
                {
                    if (!inventory.IsMadeUp(value))
                    {
                        assigned.Add(member);
                    }
                }
            }

            if (assigned.Contains(property.OriginalDefinition))
            {
                return description;
            }
        }

        return null;
    }

    private IReadOnlyList<IInvocationOperation> FindCallers(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_callers.TryGetValue(method, out var cached))
        {
            return cached;
        }

        var result = new List<IInvocationOperation>();
        if (InvocationsByName(cancellationToken).TryGetValue(method.Name, out var invocations))
        {
            foreach (var syntax in invocations)
            {
                if (SemanticModelFor(syntax.SyntaxTree).GetOperation(syntax, cancellationToken) is IInvocationOperation call &&
                    SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition))
                {
                    result.Add(call);
                }
            }
        }

        return _callers.GetOrAdd(method, result);
    }

    /// <summary>
    /// The invocations of the whole compilation by the name of the method they call, merged once per compilation from
    /// the index each tree keeps (<see cref="AppScan.Invocations"/>): finding the callers of a method is then a lookup,
    /// not a search of every file for every method.
    /// </summary>
    private Dictionary<string, List<InvocationExpressionSyntax>> InvocationsByName(CancellationToken cancellationToken) =>
        LazyInitializer.EnsureInitialized(ref _invocationsByName, () =>
        {
            var merged = new Dictionary<string, List<InvocationExpressionSyntax>>(StringComparer.Ordinal);
            foreach (var tree in Compilation.SyntaxTrees)
            {
                foreach (var entry in AppScan.For(tree, cancellationToken).Invocations)
                {
                    if (!merged.TryGetValue(entry.Key, out var list))
                    {
                        merged[entry.Key] = list = new List<InvocationExpressionSyntax>(entry.Value.Count);
                    }

                    list.AddRange(entry.Value);
                }
            }

            return merged;
        })!;

    private SemanticModel SemanticModelFor(SyntaxTree tree) => _models.GetOrAdd(tree, t => Compilation.GetSemanticModel(t));

    /// <summary>The statement a Map call belongs to, with every convention chained on it.</summary>
    private static SyntaxNode EndpointStatement(SyntaxNode mapCall)
    {
        for (var node = mapCall; node is not null; node = node.Parent)
        {
            if (node is StatementSyntax or ArrowExpressionClauseSyntax)
            {
                return node;
            }
        }

        return mapCall;
    }

    /// <summary>
    /// <c>.AllowAnonymous()</c> in a region this build leaves out inside the statement of a Map call
    /// (<c>app.MapGet(...)</c> / <c>#if DEBUG</c> / <c>.AllowAnonymous()</c> / <c>#endif</c>); a region before the
    /// statement belongs to other code.
    /// </summary>
    private static ImmutableArray<Location> DisabledAnonymousInChain(SyntaxNode statement) =>
        DisabledAnonymous(statement, TextSpan.FromBounds(statement.SpanStart, statement.Span.End), line => line.StartsWith(".", StringComparison.Ordinal));

    /// <summary>
    /// <c>[AllowAnonymous]</c> in a region this build leaves out above a declaration (its leading trivia and attribute
    /// lists, up to <paramref name="end"/>, its name), when the region holds only attributes: a region that
    /// declares a member of its own is about that member.
    /// </summary>
    private static ImmutableArray<Location> DisabledAnonymous(SyntaxNode declaration, int end) =>
        DisabledAnonymous(declaration, TextSpan.FromBounds(declaration.FullSpan.Start, Math.Max(declaration.FullSpan.Start, end)),
            line => line.StartsWith("[", StringComparison.Ordinal) && line.EndsWith("]", StringComparison.Ordinal));

    /// <summary>
    /// <c>[AllowAnonymous]</c> or <c>.AllowAnonymous()</c> written in a region that this build leaves out
    /// (<c>#if DEBUG</c> in a Release build) within <paramref name="span"/>: it is compiled into the other
    /// configuration. Every non-blank, non-comment line of the region must be of the <paramref name="expected"/> shape.
    /// </summary>
    private static ImmutableArray<Location> DisabledAnonymous(SyntaxNode node, TextSpan span, Func<string, bool> expected)
    {
        if (!node.ContainsDirectives)
        {
            return ImmutableArray<Location>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<Location>();
        foreach (var trivia in node.DescendantTrivia(span, descendIntoTrivia: true))
        {
            if (!trivia.IsKind(SyntaxKind.DisabledTextTrivia))
            {
                continue;
            }

            var text = trivia.ToString();
            var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal));
            if (!lines.All(expected))
            {
                continue;
            }

            foreach (Match match in AnonymousText.Matches(text))
            {
                result.Add(Location.Create(node.SyntaxTree, new TextSpan(trivia.SpanStart + match.Index, match.Length)));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>"view:patients": the verb's permission and the resource, the way the runtime's JSON role definitions name permissions.</summary>
    public static string SuggestPolicy(Endpoint endpoint)
    {
        var verbs = endpoint.Verbs.IsDefaultOrEmpty ? ImmutableArray.Create("GET") : endpoint.Verbs;
        var action = verbs.All(v => v == "DELETE") ? "delete"
            : verbs.Any(v => v is "POST" or "PUT" or "PATCH" or "DELETE") ? "edit"
            : "view";
        return action + ":" + Resource(endpoint);
    }

    /// <summary>Viewed for reads, Deleted for DELETE, Modified for POST, PUT and PATCH.</summary>
    public static string SuggestAuditAction(Endpoint endpoint)
    {
        var verbs = endpoint.Verbs.IsDefaultOrEmpty ? ImmutableArray.Create("GET") : endpoint.Verbs;
        return verbs.All(v => v == "DELETE") ? "Deleted"
            : verbs.Any(v => v is "POST" or "PUT" or "PATCH" or "DELETE") ? "Modified"
            : "Viewed";
    }

    private static string Resource(Endpoint endpoint)
    {
        string? name = null;
        switch (endpoint.Kind)
        {
            case EndpointKind.ControllerAction:
                name = Strip(endpoint.Handler?.ContainingType?.Name, "Controller");
                break;
            case EndpointKind.PageHandler:
                name = endpoint.RouteIsComplete ? FirstLiteralSegment(endpoint.Route) : null;
                name ??= Strip(Strip(endpoint.Handler?.ContainingType?.Name, "PageModel"), "Model");
                break;
            default:
                name = FirstLiteralSegment(endpoint.Route);
                if (name is null && endpoint.Handler is { MethodKind: MethodKind.Ordinary } handler)
                {
                    name = Strip(handler.ContainingType?.Name, "Endpoints");
                }

                break;
        }

        var snake = Snake(name ?? string.Empty);
        return snake.Length == 0 ? "phi" : snake;
    }

    private static string? Strip(string? name, string suffix) =>
        name is not null && name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length ? name.Substring(0, name.Length - suffix.Length) : name;

    /// <summary>The first route segment that names something: not "api", a version ("v2") or a route value.</summary>
    private static string? FirstLiteralSegment(string route)
    {
        foreach (var segment in route.Split('/'))
        {
            if (segment.Length == 0 || segment.IndexOf('{') >= 0 || segment.Equals("api", StringComparison.OrdinalIgnoreCase) ||
                Regex.IsMatch(segment, @"^v\d+(\.\d+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                continue;
            }

            return segment;
        }

        return null;
    }

    /// <summary>"MedicalImages", "medical-images" and "medical_images" all become "medical_images".</summary>
    private static string Snake(string name)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsLetterOrDigit(c))
            {
                if (char.IsUpper(c) && i > 0 && builder.Length > 0 && builder[builder.Length - 1] != '_' &&
                    (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder.Length > 0 && builder[builder.Length - 1] != '_')
            {
                builder.Append('_');
            }
        }

        return builder.ToString().Trim('_');
    }
}

/// <summary>What a class is to the endpoint rules (<see cref="EndpointAnalysis.RoleOf"/>).</summary>
internal enum EndpointTypeRole
{
    None,

    /// <summary>A controller or a page model: its actions or handlers are endpoints.</summary>
    DeclaresEndpoints,

    /// <summary>A class that may map minimal API endpoints: its Map calls are judged at its end.</summary>
    MapsEndpoints,
}

/// <summary>An endpoint that returns or takes PHI, with its authorization and audit after application-wide settings.</summary>
internal sealed class PhiEndpoint
{
    public PhiEndpoint(Endpoint endpoint, string phi, Location location, ImmutableArray<Location> disabledAnonymous)
    {
        Endpoint = endpoint;
        Phi = phi;
        Location = location;
        DisabledAnonymous = disabledAnonymous;
    }

    public Endpoint Endpoint { get; }

    /// <summary>"returns PatientSummary (carries PatientSummary.Ssn (name: social security number))".</summary>
    public string Phi { get; }

    /// <summary>Where the rules report: the Map call, the action's name, or the controller's name for an inherited action.</summary>
    public Location Location { get; }

    /// <summary><c>[AllowAnonymous]</c> / <c>.AllowAnonymous()</c> in a region this build leaves out (<c>#if DEBUG</c>).</summary>
    public ImmutableArray<Location> DisabledAnonymous { get; }

    /// <summary>"GET /patients/{id:int}" or "PatientsController.Get".</summary>
    public string Name => Endpoint.Kind == EndpointKind.MinimalApi || Endpoint.RouteIsComplete
        ? Endpoint.VerbsText + " " + Endpoint.Route
        : Endpoint.HandlerName;

    public ImmutableDictionary<string, string?> Properties =>
        ImmutableDictionary<string, string?>.Empty
            .Add(EndpointAnalysis.PolicyProperty, EndpointAnalysis.SuggestPolicy(Endpoint))
            .Add(EndpointAnalysis.AuditActionProperty, EndpointAnalysis.SuggestAuditAction(Endpoint))
            .Add(EndpointAnalysis.KindProperty, Endpoint.Kind.ToString());
}
