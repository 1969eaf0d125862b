using System.Collections.Generic;
using System.Linq;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// What one syntax tree holds that the application-wide endpoint settings depend on, found from syntax alone and
/// cached per tree: the invocations and assignments that may set a fallback policy, a global filter, controller or
/// Razor Pages conventions, the global audit option, a service registration, middleware (<c>app.Use...()</c>), an EF Core
/// interceptor or a <c>SaveChanges</c> override, and, on demand, its invocations by
/// method name (to find the callers of a method that maps endpoints on a route group it is handed).
/// </summary>
/// <remarks>
/// A tree that does not change between two compilations (every file but the one being edited) keeps its index, so
/// the application-wide scan binds only the few candidate nodes, not every body of the compilation.
/// </remarks>
internal sealed class AppScan
{
    private static readonly ConditionalWeakTable<SyntaxTree, AppScan> Cache = new();

    private static readonly HashSet<string> ConventionMethods = new(System.StringComparer.Ordinal)
    {
        "SetFallbackPolicy", "SetDefaultPolicy", "MapControllers", "MapControllerRoute", "MapDefaultControllerRoute",
        "MapAreaControllerRoute", "MapRazorPages", "AuthorizeFolder", "AuthorizePage", "AllowAnonymousToFolder", "AllowAnonymousToPage",
        "AddSingleton", "AddScoped", "AddTransient", "AddKeyedSingleton", "AddKeyedScoped", "AddKeyedTransient", "TryAddSingleton",
        "TryAddScoped", "TryAddTransient", "AddHostedService", "AddHttpClient", "AddDbContext", "AddDbContextPool", "AddDbContextFactory",
        "AddInterceptors",
    };

    private static readonly HashSet<string> ConventionProperties = new(System.StringComparer.Ordinal)
    {
        "FallbackPolicy", "DefaultPolicy", "AuditAllEndpoints",
    };

    /// <summary>Words that every candidate's text contains: a file without any of them is not walked at all.</summary>
    private static readonly string[] Keywords =
    {
        "Policy", "AuditAllEndpoints", "MapControllers", "ControllerRoute", "MapRazorPages", "AuthorizeFolder", "AuthorizePage",
        "AllowAnonymousTo", "Filters", "AddSingleton", "AddScoped", "AddTransient", "AddKeyed", "TryAdd", "AddHostedService",
        "AddHttpClient", "AddDbContext", ".Use", "AddInterceptors", "SaveChanges",
    };

    private readonly SyntaxTree _tree;
    private Dictionary<string, List<InvocationExpressionSyntax>>? _invocations;

    private AppScan(SyntaxTree tree, ImmutableArray<SyntaxNode> candidates)
    {
        _tree = tree;
        Candidates = candidates;
    }

    /// <summary>Invocations and assignments that may be application-wide settings.</summary>
    public ImmutableArray<SyntaxNode> Candidates { get; }

    /// <summary>
    /// The invocations of the tree that call a method named <paramref name="name"/>; the tree is walked for them
    /// only when its text contains the name, once.
    /// </summary>
    public IReadOnlyList<InvocationExpressionSyntax> InvocationsOf(string name, System.Threading.CancellationToken cancellationToken)
    {
        if (_invocations is null && _tree.GetText(cancellationToken).ToString().IndexOf(name, System.StringComparison.Ordinal) < 0)
        {
            return System.Array.Empty<InvocationExpressionSyntax>();
        }

        var invocations = System.Threading.LazyInitializer.EnsureInitialized(ref _invocations, () =>
        {
            var index = new Dictionary<string, List<InvocationExpressionSyntax>>(System.StringComparer.Ordinal);
            foreach (var invocation in _tree.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (MethodName(invocation.Expression) is { } invoked)
                {
                    if (!index.TryGetValue(invoked, out var list))
                    {
                        index[invoked] = list = new List<InvocationExpressionSyntax>();
                    }

                    list.Add(invocation);
                }
            }

            return index;
        })!;
        return invocations.TryGetValue(name, out var found) ? found : (IReadOnlyList<InvocationExpressionSyntax>)System.Array.Empty<InvocationExpressionSyntax>();
    }

    public static AppScan For(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
    {
        if (Cache.TryGetValue(tree, out var cached))
        {
            return cached;
        }

        var scan = Create(tree, cancellationToken);
        return Cache.GetValue(tree, _ => scan);
    }

    private static AppScan Create(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
    {
        // Searching the text is much cheaper than walking the nodes, and most files mention none of the words.
        var text = tree.GetText(cancellationToken).ToString();
        if (!Keywords.Any(keyword => text.IndexOf(keyword, System.StringComparison.Ordinal) >= 0))
        {
            return new AppScan(tree, ImmutableArray<SyntaxNode>.Empty);
        }

        var candidates = ImmutableArray.CreateBuilder<SyntaxNode>();
        foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
        {
            switch (node)
            {
                case InvocationExpressionSyntax invocation when MethodName(invocation.Expression) is { } name &&
                    (ConventionMethods.Contains(name) || name is "Add" or "AddService" && IsFiltersAdd(invocation.Expression) ||
                     IsUse(name) && invocation.Expression is MemberAccessExpressionSyntax):
                    candidates.Add(invocation);
                    break;
                case MethodDeclarationSyntax method when EndpointModel.IsSaveChangesOverride(method):
                    candidates.Add(method);
                    break;
                case AssignmentExpressionSyntax assignment when MethodName(assignment.Left) is { } property && ConventionProperties.Contains(property):
                    candidates.Add(assignment);
                    break;
            }
        }

        return new AppScan(tree, candidates.ToImmutable());
    }

    /// <summary><c>app.Use(...)</c>, <c>app.UseMiddleware&lt;T&gt;()</c>, <c>app.UseAuditTrail()</c>: middleware that may audit.</summary>
    private static bool IsUse(string name) =>
        name.StartsWith("Use", System.StringComparison.Ordinal) && (name.Length == 3 || char.IsUpper(name[3]));

    /// <summary><c>options.Filters.Add(...)</c>, <c>Filters.Add&lt;T&gt;()</c>.</summary>
    private static bool IsFiltersAdd(ExpressionSyntax expression) =>
        expression is MemberAccessExpressionSyntax { Expression: var receiver } &&
        MethodName(receiver) == "Filters";

    private static string? MethodName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax name => name.Identifier.ValueText,
        _ => null,
    };
}
