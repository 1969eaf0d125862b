using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Persistence;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>What kind of type the application may hook into a request to write its audit trail.</summary>
internal enum AuditHook
{
    /// <summary>An MVC filter (<c>IActionFilter</c>, <c>IAsyncResultFilter</c> ... or <c>ActionFilterAttribute</c>).</summary>
    Filter,

    /// <summary>A minimal API endpoint filter (<c>IEndpointFilter</c>).</summary>
    EndpointFilter,

    /// <summary>Middleware (<c>Invoke</c> / <c>InvokeAsync</c>).</summary>
    Middleware,

    /// <summary>An EF Core save interceptor (<c>SavingChanges</c>, <c>SavedChangesAsync</c> ...).</summary>
    SaveInterceptor,
}

/// <summary>
/// What the code of a handler does, for one compilation and one <c>hipaa_analyzers.audit_types</c> setting: how the
/// application writes its own audit trail (which types are audit types, and whether a method body (a handler, a
/// filter, middleware, a <c>SaveChanges</c> override) calls one or writes an audit row), whether a handler checks who
/// may call it in code (<see cref="AccessChecks"/>), and what it assigns to members of its own instance; each itself
/// or through one method of the same compilation that it calls.
/// </summary>
/// <remarks>
/// An audit type is a type whose name has the word "audit" (<c>IAuditService</c>, <c>PhiAuditMiddleware</c>,
/// <c>AuditTrailWriter</c>; not <c>Auditorium</c>, <c>AuditableEntity</c> or <c>FullAuditedEntity</c>), that implements
/// or derives from one, or that the option lists. The walker also records which Entity Framework Core records a body
/// loads, changes or deletes (<see cref="RecordAccess"/>), which makes an endpoint that neither takes nor returns PHI a
/// PHI endpoint. Each method body is read once, for every question, and cached; a
/// body is followed one call deep and to at most <see cref="MaxCallees"/> methods, so the work per endpoint stays bounded.
/// </remarks>
internal sealed class AuditModel
{
    /// <summary>The methods of this compilation followed from one body.</summary>
    public const int MaxCallees = 24;

    /// <summary>The assignments to members of its own instance recorded for one body.</summary>
    private const int MaxAssignments = 64;

    /// <summary>The distinct record accesses recorded for one body.</summary>
    private const int MaxRecordAccesses = 16;

    private static readonly SymbolDisplayFormat FullNameFormat = new(typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces);

    private static readonly string[] FilterMethods =
    {
        "OnActionExecuting", "OnActionExecuted", "OnActionExecutionAsync", "OnResultExecuting", "OnResultExecuted",
        "OnResultExecutionAsync", "OnResourceExecuting", "OnResourceExecuted", "OnResourceExecutionAsync", "OnPageHandlerExecuting",
        "OnPageHandlerExecuted", "OnPageHandlerExecutionAsync",
    };

    /// <summary>The names <see cref="AccessChecks"/> looks for: a body without any of them checks nobody.</summary>
    private static readonly HashSet<string> AccessCheckNames = new(StringComparer.Ordinal)
    {
        "IsInRole", "HasClaim", "AuthorizeAsync", "Forbid", "Challenge", "Unauthorized", "StatusCode", "Problem", "ForbidResult",
        "UnauthorizedResult", "UnauthorizedObjectResult", "ChallengeResult",
    };

    private static readonly string[] EndpointFilterMethods = { "InvokeAsync" };
    private static readonly string[] MiddlewareMethods = { "Invoke", "InvokeAsync" };
    private static readonly string[] InterceptorMethods = { "SavingChanges", "SavingChangesAsync", "SavedChanges", "SavedChangesAsync" };

    private static readonly HashSet<string> FilterInterfaces = new(StringComparer.Ordinal)
    {
        "IActionFilter", "IAsyncActionFilter", "IResultFilter", "IAsyncResultFilter", "IAlwaysRunResultFilter", "IAsyncAlwaysRunResultFilter",
        "IResourceFilter", "IAsyncResourceFilter", "IPageFilter", "IAsyncPageFilter",
    };

    /// <summary>Methods that add a row or an item: <c>AuditLogs.Add(new AuditLog { ... })</c>, <c>InsertOneAsync(entry)</c>.</summary>
    private static readonly HashSet<string> AddMethods = new(StringComparer.Ordinal)
    {
        "Add", "AddAsync", "AddRange", "AddRangeAsync", "Attach", "Insert", "InsertAsync", "InsertOne", "InsertOneAsync", "InsertMany",
        "InsertManyAsync", "Create", "CreateAsync", "Save", "SaveAsync", "Write", "WriteAsync",
    };

    private readonly Compilation _compilation;
    private readonly IReadOnlyList<string> _configured;
    private readonly SharedCache<ITypeSymbol, bool> _auditTypes = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<IMethodSymbol, BodyFacts> _bodies = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<IMethodSymbol, BodyFacts> _followedWithoutFacts = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<ITypeSymbol, HashSet<string>> _signalMembers = new(SymbolEqualityComparer.Default);

    public AuditModel(Compilation compilation, IReadOnlyList<string> configured)
    {
        _compilation = compilation;
        _configured = configured;
        SignalWords = new HashSet<string>(AccessCheckNames.Concat(configured.Select(c => c.Substring(c.LastIndexOf('.') + 1))), StringComparer.Ordinal)
        {
            "DbSet", "Set",
        };
    }

    /// <summary>
    /// The words that alone make <see cref="MayHoldFacts"/> say yes, in one set: the names of the access checks, the
    /// simple names of the types <c>hipaa_analyzers.audit_types</c> lists, <c>DbSet</c> and <c>Set</c>.
    /// </summary>
    private HashSet<string> SignalWords { get; }

    /// <summary>
    /// The type, one of its base classes or one of its interfaces is named like an audit type or listed in
    /// <c>hipaa_analyzers.audit_types</c>.
    /// </summary>
    public bool IsAuditType(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        return _auditTypes.GetOrAdd(named.OriginalDefinition, t =>
        {
            for (var current = t as INamedTypeSymbol; current is not null && current.SpecialType == SpecialType.None; current = current.BaseType)
            {
                if (NamesAudit(current))
                {
                    return true;
                }
            }

            foreach (var implemented in Interfaces.Of(t))
            {
                if (NamesAudit(implemented))
                {
                    return true;
                }
            }

            return false;
        });
    }

    /// <summary>An audit record: a type whose own name says audit (<c>AuditLog</c>, <c>AuditEntry</c>) or that the option lists.</summary>
    public bool IsAuditEntity(ITypeSymbol? type) => type is INamedTypeSymbol named && NamesAudit(named);

    /// <summary>"audit", "audits" or "auditing" is a word of the name.</summary>
    public static bool HasAuditWord(string name)
    {
        if (!SaysAudit(name))
        {
            return false;
        }

        foreach (var word in IdentifierWords.Split(name))
        {
            if (word is "audit" or "audits" or "auditing")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An MVC filter: implements one of the action, result, resource or page filter interfaces.</summary>
    public static bool IsFilterType(ITypeSymbol? type) =>
        type is not null && Interfaces.Of(type).Any(i => FilterInterfaces.Contains(i.Name) && IsMvcFilters(i));

    /// <summary>Implements <c>IAuthorizationFilter</c> or <c>IAsyncAuthorizationFilter</c>: decides itself who may call.</summary>
    public static bool IsAuthorizationFilter(ITypeSymbol? type) =>
        type is not null && Interfaces.Of(type).Any(i => i.Name is "IAuthorizationFilter" or "IAsyncAuthorizationFilter" && IsMvcFilters(i));

    /// <summary>Implements EF Core's <c>ISaveChangesInterceptor</c> (<c>SaveChangesInterceptor</c> does).</summary>
    public static bool IsSaveInterceptor(ITypeSymbol? type) =>
        type is not null && Interfaces.Of(type).Any(i => i.Name == "ISaveChangesInterceptor");

    /// <summary>
    /// Whether a filter, endpoint filter, middleware or save interceptor writes audit records: its name says audit
    /// (<paramref name="detail"/> is then null), or one of its hook methods calls an audit type or writes an audit row
    /// (<paramref name="detail"/> says which: "OnActionExecutionAsync calls IAuditService.LogAsync").
    /// </summary>
    public bool Audits(ITypeSymbol? type, AuditHook hook, AppConventions? conventions, CancellationToken cancellationToken, out string? detail)
    {
        detail = null;
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        if (IsAuditType(named))
        {
            return true;
        }

        var methods = hook switch
        {
            AuditHook.Filter => FilterMethods,
            AuditHook.EndpointFilter => EndpointFilterMethods,
            AuditHook.Middleware => MiddlewareMethods,
            _ => InterceptorMethods,
        };
        for (var t = named.OriginalDefinition; t is not null && CodeOrigin.IsDeclaredIn(t, _compilation); t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member is IMethodSymbol { IsAbstract: false, MethodKind: MethodKind.Ordinary } method && Array.IndexOf(methods, method.Name) >= 0 &&
                    DescribeAudit(method, conventions, cancellationToken) is { } found)
                {
                    detail = method.Name + " " + found;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// How a method (a handler, a filter or middleware method, a lambda) writes to the audit trail: "calls
    /// IPHIAuditService.PublishAccessAsync", "writes AuditLog", or "calls PatientService.UpdateAsync, which calls
    /// IAuditService.LogAsync" through one method of this compilation it calls (an interface method reaches the classes
    /// registered for it in dependency injection). Null when it does not.
    /// </summary>
    public string? DescribeAudit(IMethodSymbol method, AppConventions? conventions, CancellationToken cancellationToken)
    {
        foreach (var (callee, body) in Reach(method, conventions, cancellationToken))
        {
            if (body.AuditEvidence is { } evidence)
            {
                return callee is null
                    ? evidence
                    : "calls " + (callee.ContainingType is { } type ? type.Name + "." : string.Empty) + callee.Name + ", which " + evidence;
            }
        }

        return null;
    }

    /// <summary>
    /// How a handler narrows who may call it in its own code, itself or through one method of this compilation it
    /// calls: "checks IsInRole in the handler", "calls IAuthorizationService.AuthorizeAsync in CanAccessAppointmentAsync",
    /// "returns Forbid() under a condition in the handler" (see <see cref="AccessChecks"/>). Null when it does not.
    /// </summary>
    public string? DescribeAccessCheck(IMethodSymbol handler, AppConventions? conventions, CancellationToken cancellationToken)
    {
        foreach (var (callee, body) in Reach(handler, conventions, cancellationToken))
        {
            if (body.AccessCheck is { } check)
            {
                return check + (callee is null ? " in the handler" : " in " + callee.Name);
            }
        }

        return null;
    }

    /// <summary>
    /// The values a method assigns to members of its own instance (<c>Patient = await _db.Patients.FindAsync(id)</c>),
    /// itself or through one method of this compilation it calls (a <c>LoadAsync</c> helper of the same page model).
    /// </summary>
    public IEnumerable<(ISymbol Member, IOperation Value)> OwnAssignments(IMethodSymbol method, AppConventions? conventions, CancellationToken cancellationToken)
    {
        foreach (var (_, body) in Reach(method, conventions, cancellationToken))
        {
            foreach (var assignment in body.OwnAssignments)
            {
                yield return assignment;
            }
        }
    }

    /// <summary>
    /// The Entity Framework Core records a method loads, changes or deletes (<c>_context.Patients.FindAsync(id)</c>,
    /// <c>_context.Patients.Remove(patient)</c>, <c>.Where(...).ToListAsync()</c>, <c>foreach</c> over a query), itself,
    /// in lambdas and local functions, or through one method of this compilation it calls; in the order found, the
    /// method's own first. Counting and existence checks are not accesses; adding audit rows is not either.
    /// </summary>
    public IEnumerable<(IMethodSymbol? Callee, RecordAccess Access)> RecordAccesses(IMethodSymbol method, AppConventions? conventions, CancellationToken cancellationToken)
    {
        foreach (var (callee, body) in Reach(method, conventions, cancellationToken))
        {
            foreach (var access in body.RecordAccesses)
            {
                yield return (callee, access);
            }
        }
    }

    /// <summary>The audit evidence of an operation tree that is not a method of its own (a middleware or filter lambda).</summary>
    public string? DescribeAudit(IOperation operation, ITypeSymbol? self)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation invocation && Evidence(invocation, self) is { } evidence)
            {
                return evidence;
            }
        }

        return null;
    }

    /// <summary>
    /// The body of <paramref name="method"/> (with a null callee), then, lazily, the bodies of the methods of this
    /// compilation it calls (an interface or abstract method reaches the classes registered for it in dependency
    /// injection), at most <see cref="MaxCallees"/> of them: the one bounded level every question about a handler follows.
    /// </summary>
    private IEnumerable<(IMethodSymbol? Callee, BodyFacts Body)> Reach(IMethodSymbol method, AppConventions? conventions, CancellationToken cancellationToken)
    {
        var own = BodyOf(method, cancellationToken);
        yield return (null, own);

        int followed = 0;
        foreach (var callee in own.Callees)
        {
            foreach (var target in Targets(callee, conventions))
            {
                if (followed++ >= MaxCallees)
                {
                    yield break;
                }

                if (!SymbolEqualityComparer.Default.Equals(target, method.OriginalDefinition))
                {
                    yield return (target, FollowedBodyOf(target, cancellationToken));
                }
            }
        }
    }

    /// <summary>
    /// The facts of a method a handler calls. Binding a method body is the costliest step of the model, and most methods
    /// a handler calls (services, mappers, validators) hold none of the facts asked for; a body whose syntax and
    /// declarations cannot hold any of them (<see cref="MayHoldFacts"/>) is not bound.
    /// </summary>
    private BodyFacts FollowedBodyOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        method = method.PartialImplementationPart ?? method;
        if (_bodies.TryGetValue(method, out var cached))
        {
            return cached;
        }

        return _followedWithoutFacts.ContainsKey(method) || !MayHoldFacts(method, cancellationToken)
            ? _followedWithoutFacts.GetOrAdd(method, BodyFacts.None)
            : BodyOf(method, cancellationToken);
    }

    /// <summary>
    /// Whether a method's body can hold an audit call or row, an access check, a record access or an assignment to a
    /// member of its own instance, from its tokens alone: a name that says audit or is a type of
    /// <c>hipaa_analyzers.audit_types</c>; a name of the access checks (<c>IsInRole</c>, <c>HasClaim</c>,
    /// <c>AuthorizeAsync</c>, <c>Forbid</c>, <c>Challenge</c>, <c>Unauthorized</c>, <c>StatusCode</c>,
    /// <c>Problem</c> ...); a field, property or parameter of its type or of the method whose declared type is an audit
    /// type or Entity Framework Core's (<c>DbContext</c>, <c>DbSet&lt;T&gt;</c>, <c>IDbContextFactory&lt;T&gt;</c>), or the
    /// name of a <c>DbContext</c> type; or, in a page model, an assignment to a field or property of its own instance. It
    /// may say yes for a body that holds none (the body is then bound and read); it never says no for one that holds one of
    /// these written in those words.
    /// </summary>
    private bool MayHoldFacts(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.ContainingType is { } containing && IsDataAccessType(containing))
        {
            return true;
        }

        // Assignments to the instance's own members are recorded only for page models (Read), so only there do they count.
        bool assignmentsCount = DerivesFromPageModel(method.ContainingType);
        HashSet<string>? names = null;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree))
            {
                continue;
            }

            // Most methods an endpoint reaches say no, and the text of the declaration says so first when it holds none
            // of the words: searched in place, it costs less than a walk of the nodes.
            if (!assignmentsCount && !TextMayNameFacts(reference, method, ref names, cancellationToken))
            {
                continue;
            }

            // One walk of the declaration's nodes and tokens, without the enumerators of DescendantTokens.
            var pending = t_pending ??= new Stack<SyntaxNode>(64);
            try
            {
                if (NamesOrAssignsFacts(reference.GetSyntax(cancellationToken), method, assignmentsCount, pending, ref names))
                {
                    return true;
                }
            }
            finally
            {
                // The stack would otherwise keep a tree of a past compilation alive.
                pending.Clear();
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the text of a declaration may hold an identifier that <see cref="NamesOrAssignsFacts"/> looks for: "udit"
    /// in any case, "DbContext", or a signal word or member name standing as a word of its own. Never false for text
    /// that holds one; a declaration with a backslash (an identifier may be written with escapes) or a word beside a
    /// character beyond ASCII is left to the walk.
    /// </summary>
    private bool TextMayNameFacts(SyntaxReference reference, IMethodSymbol method, ref HashSet<string>? names, CancellationToken cancellationToken)
    {
        var text = SourceTexts.Of(reference.SyntaxTree, cancellationToken);
        int start = reference.Span.Start;
        int count = reference.Span.Length;
        if (text.IndexOf('\\', start, count) >= 0 || text.IndexOf("udit", start, count, StringComparison.OrdinalIgnoreCase) >= 0 ||
            text.IndexOf("DbContext", start, count, StringComparison.Ordinal) >= 0)
        {
            return true;
        }

        foreach (var word in SignalWords)
        {
            if (MayNameWord(text, word, start, count))
            {
                return true;
            }
        }

        names ??= SignalMembersOf(method);
        foreach (var name in names)
        {
            if (MayNameWord(text, name, start, count))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="word"/> in the text between characters that cannot continue an ASCII identifier.</summary>
    private static bool MayNameWord(string text, string word, int start, int count)
    {
        int end = start + count;
        for (int at = text.IndexOf(word, start, count, StringComparison.Ordinal); at >= 0;
             at = at + 1 + word.Length <= end ? text.IndexOf(word, at + 1, end - at - 1, StringComparison.Ordinal) : -1)
        {
            if ((at == start || !ContinuesIdentifier(text[at - 1])) && (at + word.Length == end || !ContinuesIdentifier(text[at + word.Length])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A letter, digit or underscore of ASCII. A character beyond ASCII counts as a boundary: the walk judges that word.</summary>
    private static bool ContinuesIdentifier(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_';

    /// <summary>Whether the nodes under <paramref name="declaration"/> name or assign what <see cref="MayHoldFacts"/> looks for.</summary>
    private bool NamesOrAssignsFacts(SyntaxNode declaration, IMethodSymbol method, bool assignmentsCount, Stack<SyntaxNode> pending, ref HashSet<string>? names)
    {
        pending.Push(declaration);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (assignmentsCount && node is AssignmentExpressionSyntax assignment &&
                OwnMemberName(assignment.Left) is { } assigned && IsInstanceMemberOf(method.ContainingType, assigned))
            {
                return true;
            }

            foreach (var child in node.ChildNodesAndTokens())
            {
                if (child.AsNode() is { } childNode)
                {
                    pending.Push(childNode);
                    continue;
                }

                var token = child.AsToken();
                if (token.RawKind != (int)SyntaxKind.IdentifierToken)
                {
                    continue;
                }

                var text = token.ValueText;
                if (SignalWords.Contains(text) || SaysAudit(text) || text.IndexOf("DbContext", StringComparison.Ordinal) >= 0)
                {
                    return true;
                }

                names ??= SignalMembersOf(method);
                if (names.Contains(text))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The nodes still to read in <see cref="MayHoldFacts"/>, one stack per thread rather than one per method read.</summary>
    [ThreadStatic]
    private static Stack<SyntaxNode>? t_pending;

    /// <summary>
    /// Whether a name contains "udit" in any case (<c>IAuditLog</c>, <c>_auditTrail</c>, <c>AUDIT</c>), the first look
    /// at every identifier of a callee: an ASCII name is compared in place, without a case-insensitive search's setup.
    /// </summary>
    internal static bool SaysAudit(string name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (c > 0x7F)
            {
                // Beyond ASCII, what a case-insensitive search folds is the host runtime's rule: the search decides.
                return name.IndexOf("udit", StringComparison.OrdinalIgnoreCase) >= 0;
            }

            // Upper and lower case ASCII letters differ only in bit 0x20, and only they become these letters when it is
            // set; no character beyond ASCII does.
            if ((c | 0x20) == 'u' && i + 3 < name.Length &&
                (name[i + 1] | 0x20) == 'd' && (name[i + 2] | 0x20) == 'i' && (name[i + 3] | 0x20) == 't')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The member an assignment's target names when it may be one of the instance's own: <c>Patient</c>, <c>this.Patient</c>.</summary>
    private static string? OwnMemberName(ExpressionSyntax target) => target switch
    {
        IdentifierNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The type or one of its base classes declares an instance field or property of that name.</summary>
    private static bool IsInstanceMemberOf(INamedTypeSymbol? type, string name)
    {
        for (var t = type; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            foreach (var member in t.GetMembers(name))
            {
                if (member is IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The names of the fields, properties and constructor parameters of a method's type (and its base classes of
    /// this compilation), and of the method's parameters, whose declared type is an audit type or Entity Framework
    /// Core's: <c>_audit</c>, <c>_context</c>, <c>dbFactory</c>.
    /// </summary>
    private HashSet<string> SignalMembersOf(IMethodSymbol method)
    {
        var names = method.ContainingType is { } type
            ? _signalMembers.GetOrAdd(type.OriginalDefinition, t =>
            {
                var found = new HashSet<string>(StringComparer.Ordinal);
                for (var current = t as INamedTypeSymbol; current is not null && CodeOrigin.IsDeclaredIn(current, _compilation); current = current.BaseType)
                {
                    foreach (var member in current.GetMembers())
                    {
                        switch (member)
                        {
                            case IFieldSymbol field when IsSignalType(field.Type):
                                found.Add(field.Name);
                                break;
                            case IPropertySymbol property when IsSignalType(property.Type):
                                found.Add(property.Name);
                                break;
                            case IMethodSymbol { MethodKind: MethodKind.Constructor } constructor:
                                foreach (var parameter in constructor.Parameters)
                                {
                                    if (IsSignalType(parameter.Type))
                                    {
                                        found.Add(parameter.Name);
                                    }
                                }

                                break;
                        }
                    }
                }

                return found;
            })
            : new HashSet<string>(StringComparer.Ordinal);

        if (method.Parameters.Any(p => IsSignalType(p.Type)))
        {
            names = new HashSet<string>(names, StringComparer.Ordinal);
            foreach (var parameter in method.Parameters)
            {
                if (IsSignalType(parameter.Type))
                {
                    names.Add(parameter.Name);
                }
            }
        }

        return names;
    }

    private bool IsSignalType(ITypeSymbol type) => IsDataAccessType(type) || IsAuditType(type);

    /// <summary>A <c>DbContext</c>, a <c>DbSet&lt;T&gt;</c> or an <c>IDbContextFactory&lt;T&gt;</c> of Entity Framework Core.</summary>
    private static bool IsDataAccessType(ITypeSymbol type) =>
        TypeNames.Is(type, "Microsoft.EntityFrameworkCore", "DbSet") || TypeNames.Is(type, "Microsoft.EntityFrameworkCore", "IDbContextFactory") ||
        TypeNames.DerivesFrom(type, "Microsoft.EntityFrameworkCore", "DbContext");

    private BodyFacts BodyOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        method = method.PartialImplementationPart ?? method;
        if (_bodies.TryGetValue(method, out var cached))
        {
            return cached;
        }

        return _bodies.GetOrAdd(method, Scan(method, cancellationToken));
    }

    /// <summary>Binds the body of a method the driver has not handed to <see cref="Observe(IMethodSymbol, ImmutableArray{IOperation})"/>, and reads it.</summary>
    private BodyFacts Scan(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var bodies = new List<IOperation>();
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (_compilation.ContainsSyntaxTree(reference.SyntaxTree) &&
                _compilation.GetSemanticModel(reference.SyntaxTree).GetOperation(reference.GetSyntax(cancellationToken), cancellationToken) is { } body)
            {
                bodies.Add(body);
            }
        }

        return Read(method, bodies);
    }

    /// <summary>
    /// Records the facts of a method from the operation blocks the analyzer driver has bound for its own actions, so that
    /// asking about the method later does not bind its body a second time. A method already read keeps its facts.
    /// </summary>
    public void Observe(IMethodSymbol method, ImmutableArray<IOperation> blocks)
    {
        method = method.OriginalDefinition;
        method = method.PartialImplementationPart ?? method;
        if (_bodies.ContainsKey(method) || blocks.IsDefaultOrEmpty)
        {
            return;
        }

        var roots = new List<IOperation>();
        foreach (var block in blocks)
        {
            var root = block;
            while (root.Parent is { } parent)
            {
                root = parent;
            }

            if (!roots.Contains(root))
            {
                roots.Add(root);
            }
        }

        _bodies.TryAdd(method, Read(method, roots));
    }

    /// <summary>Records the facts of a lambda (a minimal API handler) from its bound operation, unless already read.</summary>
    public void Observe(IAnonymousFunctionOperation lambda)
    {
        var function = lambda.Symbol.OriginalDefinition;
        if (!_bodies.ContainsKey(function))
        {
            _bodies.TryAdd(function, Read(function, new List<IOperation> { lambda }));
        }
    }

    /// <summary>
    /// One walk of a method's bound body (lambdas and local functions in it included): its first audit call or audit
    /// row, its first access check, what it assigns to members of its own instance, and the methods of this compilation
    /// it calls.
    /// </summary>
    private BodyFacts Read(IMethodSymbol method, List<IOperation> bodies)
    {
        string? auditEvidence = null;
        string? accessCheck = null;
        var callees = new List<IMethodSymbol>();
        var assignments = new List<(ISymbol, IOperation)>();
        var records = new List<RecordAccess>();

        // The assigned values are operations, which hold the bound body they belong to: they are kept only where they are
        // asked for (a page model's handlers and their helpers), so the model does not keep every handler's body alive.
        bool keepAssignments = DerivesFromPageModel(method.ContainingType);
        foreach (var body in bodies)
        {
            foreach (var operation in body.DescendantsAndSelf())
            {
                accessCheck ??= AccessChecks.Describe(operation, body);
                if (keepAssignments && operation is IAssignmentOperation { Target: IMemberReferenceOperation { Member: IPropertySymbol or IFieldSymbol } target } assignment &&
                    target.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } &&
                    assignments.Count < MaxAssignments)
                {
                    assignments.Add((target.Member.OriginalDefinition, assignment.Value));
                }

                if (operation is IForEachLoopOperation loop && records.Count < MaxRecordAccesses)
                {
                    AddRecordAccess(records, RecordAccess.Of(loop));
                }

                if (operation is not IInvocationOperation invocation)
                {
                    continue;
                }

                if (records.Count < MaxRecordAccesses)
                {
                    AddRecordAccess(records, RecordAccess.Of(invocation));
                }

                auditEvidence ??= Evidence(invocation, method.ContainingType);
                var callee = invocation.TargetMethod.OriginalDefinition;
                if (callees.Count < MaxCallees && callee.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction && CodeOrigin.IsDeclaredIn(callee, _compilation) &&
                    !SymbolEqualityComparer.Default.Equals(callee, method.OriginalDefinition) && !callees.Contains(callee, SymbolEqualityComparer.Default))
                {
                    callees.Add(callee);
                }
            }
        }

        return new BodyFacts(auditEvidence, accessCheck, assignments.ToImmutableArray(), records.ToImmutableArray(), callees.ToImmutableArray());
    }

    /// <summary>A page model or one of its base classes, abstract ones included.</summary>
    private static bool DerivesFromPageModel(INamedTypeSymbol? type) =>
        TypeNames.DerivesFrom(type?.BaseType, "Microsoft.AspNetCore.Mvc.RazorPages", "PageModel");

    /// <summary>Records an access once per entity, row shape and kind; writing audit rows is the audit trail, not a record access.</summary>
    private void AddRecordAccess(List<RecordAccess> records, RecordAccess? access)
    {
        if (access is null || (access.Writes && IsAuditEntity(access.Entity)))
        {
            return;
        }

        foreach (var existing in records)
        {
            if (existing.Writes == access.Writes &&
                SymbolEqualityComparer.Default.Equals(existing.Entity, access.Entity) &&
                SymbolEqualityComparer.Default.Equals(existing.Shape, access.Shape) &&
                SymbolEqualityComparer.Default.Equals(existing.Selected, access.Selected))
            {
                return;
            }
        }

        records.Add(access);
    }

    /// <summary>
    /// A call to a method of an audit type (not of the calling type itself, nor of a controller or page model), or an
    /// add of an audit row (<c>AuditLogs.Add(new AuditLog { ... })</c>, <c>Set&lt;AuditEntry&gt;().AddRange(entries)</c>)
    /// outside an in-memory collection.
    /// </summary>
    private string? Evidence(IInvocationOperation invocation, ITypeSymbol? self)
    {
        var target = invocation.TargetMethod;
        if (target.MethodKind != MethodKind.Ordinary && target.MethodKind != MethodKind.ReducedExtension)
        {
            return null;
        }

        var receiver = Unwrap(target.IsExtensionMethod && invocation.Instance is null
            ? invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null
            : invocation.Instance);

        // The receiver counts for a method the application declares on a base class (AuditRepository.AddAsync from
        // Repository<T>), not for framework methods every object has (entry.ToString(), context.Set<T>()). The audit type
        // test is asked first: it is cached, and almost every type says no.
        var callee = AuditCallee(target.ContainingType, self);
        if (callee is null && target.ContainingType is { } declaring && AuditCallee(receiver?.Type, self) is { } onReceiver && !IsFrameworkType(declaring))
        {
            callee = onReceiver;
        }

        if (callee is not null)
        {
            return "calls " + callee.Name + "." + target.Name;
        }

        if (!AddMethods.Contains(target.Name) || target.ContainingType is null ||
            TypeNames.IsInOrUnderNamespace(target.ContainingType.ContainingNamespace, "System.Collections"))
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value == receiver)
            {
                continue;
            }

            if (AuditEntityIn(Unwrap(argument.Value)?.Type) is { } entity)
            {
                return "writes " + entity.Name;
            }
        }

        if (receiver?.Type is INamedTypeSymbol { IsGenericType: true } generic)
        {
            foreach (var argument in generic.TypeArguments)
            {
                if (IsAuditEntity(argument))
                {
                    return "writes " + argument.Name;
                }
            }
        }

        return null;
    }

    /// <summary>An audit type that is neither the caller's own type (or a base of it) nor a controller or page model.</summary>
    private INamedTypeSymbol? AuditCallee(ITypeSymbol? candidate, ITypeSymbol? self) =>
        candidate is INamedTypeSymbol type && IsAuditType(type) && !IsSelf(type, self) && !IsEndpointType(type) ? type : null;

    /// <summary>The audit entity a value is, or holds (an array or a generic collection of it).</summary>
    private ITypeSymbol? AuditEntityIn(ITypeSymbol? type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array when IsAuditEntity(array.ElementType):
                return array.ElementType;
            case INamedTypeSymbol named when IsAuditEntity(named):
                return named;
            case INamedTypeSymbol { IsGenericType: true } generic:
                foreach (var argument in generic.TypeArguments)
                {
                    if (IsAuditEntity(argument))
                    {
                        return argument;
                    }
                }

                break;
        }

        return null;
    }

    /// <summary>The methods a call can run: the method itself, or for an interface or abstract method, the implementations registered in dependency injection.</summary>
    private IEnumerable<IMethodSymbol> Targets(IMethodSymbol callee, AppConventions? conventions)
    {
        if (!callee.IsAbstract)
        {
            yield return callee;
            yield break;
        }

        if (conventions is null || callee.ContainingType is not { } service)
        {
            yield break;
        }

        foreach (var implementation in conventions.ImplementationsOf(service))
        {
            IMethodSymbol? found = null;
            if (service.TypeKind == TypeKind.Interface)
            {
                found = implementation.FindImplementationForInterfaceMember(callee) as IMethodSymbol;
            }
            else
            {
                for (var t = implementation; t is not null && found is null; t = t.BaseType)
                {
                    foreach (var member in t.GetMembers(callee.Name))
                    {
                        if (member is IMethodSymbol { IsOverride: true } candidate && Overrides(candidate, callee))
                        {
                            found = candidate;
                            break;
                        }
                    }
                }
            }

            if (found is { IsAbstract: false } && CodeOrigin.IsDeclaredIn(found, _compilation))
            {
                yield return found.OriginalDefinition;
            }
        }
    }

    private static bool Overrides(IMethodSymbol method, IMethodSymbol overridden)
    {
        for (var o = method.OverriddenMethod; o is not null; o = o.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(o.OriginalDefinition, overridden.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private bool NamesAudit(INamedTypeSymbol type)
    {
        if (HasAuditWord(type.Name))
        {
            return true;
        }

        foreach (var entry in _configured)
        {
            int dot = entry.LastIndexOf('.');
            if (entry.Length - dot - 1 != type.Name.Length || string.CompareOrdinal(entry, dot + 1, type.Name, 0, type.Name.Length) != 0)
            {
                continue;
            }

            if (dot < 0 || string.Equals(type.ToDisplayString(FullNameFormat), entry, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The type the code runs in, or one of its base classes: its own helpers are followed, not taken for audit calls.</summary>
    private static bool IsSelf(INamedTypeSymbol type, ITypeSymbol? self)
    {
        for (var t = self; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, type.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A controller or page model: an <c>AuditLogsController</c> is an endpoint, not the audit trail.</summary>
    private static bool IsEndpointType(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Class && (EndpointModel.IsController(type) || EndpointModel.IsPageModel(type));

    private static bool IsFrameworkType(INamedTypeSymbol type) =>
        type.SpecialType != SpecialType.None ||
        TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "System") ||
        TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft");

    private static bool IsMvcFilters(INamedTypeSymbol type) =>
        TypeNames.IsInNamespace(type.ContainingNamespace, "Microsoft.AspNetCore.Mvc.Filters");

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    private sealed class BodyFacts
    {
        /// <summary>A body that holds none of the facts (and whose callees are not followed).</summary>
        public static readonly BodyFacts None = new(
            null, null, ImmutableArray<(ISymbol, IOperation)>.Empty, ImmutableArray<RecordAccess>.Empty, ImmutableArray<IMethodSymbol>.Empty);

        public BodyFacts(
            string? auditEvidence,
            string? accessCheck,
            ImmutableArray<(ISymbol, IOperation)> ownAssignments,
            ImmutableArray<RecordAccess> recordAccesses,
            ImmutableArray<IMethodSymbol> callees)
        {
            AuditEvidence = auditEvidence;
            AccessCheck = accessCheck;
            OwnAssignments = ownAssignments;
            RecordAccesses = recordAccesses;
            Callees = callees;
        }

        /// <summary>"calls IAuditService.LogAsync", "writes AuditLog", or null.</summary>
        public string? AuditEvidence { get; }

        /// <summary>"checks IsInRole", "calls IAuthorizationService.AuthorizeAsync", "returns Forbid() under a condition", or null.</summary>
        public string? AccessCheck { get; }

        /// <summary>Values assigned to properties and fields of the method's own instance (<c>Patient = ...</c>, <c>this._x = ...</c>).</summary>
        public ImmutableArray<(ISymbol Member, IOperation Value)> OwnAssignments { get; }

        /// <summary>The Entity Framework Core records the body loads, changes or deletes.</summary>
        public ImmutableArray<RecordAccess> RecordAccesses { get; }

        /// <summary>Methods of this compilation the body calls.</summary>
        public ImmutableArray<IMethodSymbol> Callees { get; }
    }
}
