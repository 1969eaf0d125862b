using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

#pragma warning disable RS1030 // The index binds the few call sites, bodies and writes a value query asks for, in any file of the compilation.

namespace HipaaAnalyzers.Flow;

/// <summary>
/// The same-compilation facts a value-flow query needs beyond one method body, found on demand and bounded: the
/// arguments the callers pass for a parameter, the values a method returns, and the values written into a field.
/// Call sites are found through a per-file index of invocations by method name (built once per file, kept while the
/// file does not change); only the candidates with the right name are bound.
/// </summary>
internal sealed class ProgramIndex
{
    /// <summary>At most this many call sites are followed for one parameter.</summary>
    public const int MaxCallSites = 16;

    private static readonly ConditionalWeakTable<Compilation, ProgramIndex> Indexes = new();
    /// <summary>Per file: invocations and object creations by the name they call, and member assignments by the member's name (<see cref="AssignedPrefix"/>).</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, Dictionary<string, List<SyntaxNode>>> CallsByName = new();

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

    private readonly ConcurrentDictionary<string, List<SyntaxNode>> _byName = new(System.StringComparer.Ordinal);

    private ProgramIndex(Compilation compilation) => _compilation = compilation;

    /// <summary>
    /// The invocations, creations and member assignments (<see cref="AssignedPrefix"/>) of that name in the compilation,
    /// found once per name: only files whose text has the name are walked, so a query costs the files that mention it.
    /// </summary>
    private List<SyntaxNode> Named(string key, CancellationToken cancellationToken) =>
        _byName.GetOrAdd(key, k =>
        {
            var name = k.StartsWith(AssignedPrefix, System.StringComparison.Ordinal) ? k.Substring(AssignedPrefix.Length) : k;
            var found = new List<SyntaxNode>();
            foreach (var tree in _compilation.SyntaxTrees)
            {
                if (!SourceTexts.Mentions(tree, name, cancellationToken))
                {
                    continue;
                }

                if (CallsByName.GetValue(tree, t => IndexCalls(t, cancellationToken)).TryGetValue(k, out var nodes))
                {
                    found.AddRange(nodes);
                }
            }

            return found;
        });

    public static ProgramIndex For(Compilation compilation) => Indexes.GetValue(compilation, c => new ProgramIndex(c));

    /// <summary>The arguments the compilation's call sites pass for <paramref name="parameter"/> (of the method or of the methods it overrides or implements).</summary>
    public IEnumerable<IOperation> ArgumentsFor(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method || method.MethodKind is MethodKind.AnonymousFunction or MethodKind.LambdaMethod)
        {
            yield break;
        }

        var targets = Targets(method);
        var name = method.MethodKind == MethodKind.Constructor ? method.ContainingType.Name : method.Name;
        int found = 0;
        var calls = Named(name, cancellationToken);
        {
            foreach (var call in calls)
            {
                var operation = Model(call.SyntaxTree).GetOperation(call, cancellationToken);
                var arguments = operation switch
                {
                    IInvocationOperation invocation when targets.Contains(invocation.TargetMethod.OriginalDefinition) => invocation.Arguments,
                    IObjectCreationOperation creation when creation.Constructor is { } constructor && targets.Contains(constructor.OriginalDefinition) =>
                        creation.Arguments,
                    _ => default,
                };
                if (arguments.IsDefault)
                {
                    continue;
                }

                foreach (var argument in arguments)
                {
                    if (argument.Parameter?.Ordinal == parameter.Ordinal && argument.ArgumentKind != ArgumentKind.DefaultValue)
                    {
                        yield return argument.Value;
                    }
                }

                if (++found >= MaxCallSites)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>The values the source body of <paramref name="method"/> returns; none for a method without one in this compilation.</summary>
    public IEnumerable<IOperation> ReturnedValues(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.OriginalDefinition.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            SyntaxNode? body = syntax switch
            {
                MethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody?.Expression,
                LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody?.Expression,
                AccessorDeclarationSyntax accessor => (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody?.Expression,
                ArrowExpressionClauseSyntax arrow => arrow.Expression,
                _ => null,
            };
            if (body is null || !_compilation.ContainsSyntaxTree(body.SyntaxTree))
            {
                continue;
            }

            var operation = Model(body.SyntaxTree).GetOperation(body, cancellationToken);
            if (operation is null)
            {
                continue;
            }

            if (body is ExpressionSyntax)
            {
                yield return operation;
                continue;
            }

            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant is IReturnOperation { ReturnedValue: { } value } && !InsideLambda(descendant, operation))
                {
                    yield return value;
                }
            }
        }
    }

    /// <summary>
    /// The values written into <paramref name="field"/>: its initializer, assignments anywhere in its type's
    /// declarations and, for a field other types can see (a container's <c>containerOne</c>), assignments to it
    /// anywhere in the compilation (bounded like call sites).
    /// </summary>
    public IEnumerable<IOperation> WrittenValues(IFieldSymbol field, CancellationToken cancellationToken)
    {
        var type = field.ContainingType;
        if (type is null)
        {
            yield break;
        }

        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializer } &&
                _compilation.ContainsSyntaxTree(initializer.SyntaxTree) &&
                Model(initializer.SyntaxTree).GetOperation(initializer, cancellationToken) is { } value)
            {
                yield return value;
            }
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (!_compilation.ContainsSyntaxTree(declaration.SyntaxTree))
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var node in declaration.DescendantNodes())
            {
                if (node is not AssignmentExpressionSyntax assignment || SyntaxNames.Last(assignment.Left) != field.Name)
                {
                    continue;
                }

                model ??= Model(declaration.SyntaxTree);
                if (model.GetOperation(assignment, cancellationToken) is IAssignmentOperation { Target: IFieldReferenceOperation target } written &&
                    SymbolEqualityComparer.Default.Equals(target.Field.OriginalDefinition, field.OriginalDefinition))
                {
                    yield return written.Value;
                }
            }
        }

        if (field.DeclaredAccessibility == Accessibility.Private)
        {
            yield break;
        }

        int found = 0;
        var assignments = Named(AssignedPrefix + field.Name, cancellationToken);
        {
            foreach (var assignment in assignments)
            {
                var model = Model(assignment.SyntaxTree);
                if (assignment.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } owner && model.GetDeclaredSymbol(owner, cancellationToken) is { } ownerType &&
                    SymbolEqualityComparer.Default.Equals(ownerType, type))
                {
                    continue; // seen above
                }

                if (model.GetOperation(assignment, cancellationToken) is IAssignmentOperation { Target: IFieldReferenceOperation target } written &&
                    SymbolEqualityComparer.Default.Equals(target.Field.OriginalDefinition, field.OriginalDefinition))
                {
                    yield return written.Value;
                    if (++found >= MaxCallSites)
                    {
                        yield break;
                    }
                }
            }
        }
    }

    /// <summary>Assignments are indexed with the assigned member's name after this prefix, beside the calls.</summary>
    private const string AssignedPrefix = "=";

    private SemanticModel Model(SyntaxTree tree) => _models.GetOrAdd(tree, t => _compilation.GetSemanticModel(t));

    /// <summary>The method and every method it overrides or implements: a call to any of them may reach it.</summary>
    private static HashSet<IMethodSymbol> Targets(IMethodSymbol method)
    {
        var targets = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        for (var current = method.OriginalDefinition; current is not null; current = current.OverriddenMethod?.OriginalDefinition)
        {
            if (!targets.Add(current))
            {
                break;
            }
        }

        foreach (var implemented in method.ExplicitInterfaceImplementations)
        {
            targets.Add(implemented.OriginalDefinition);
        }

        if (method.ContainingType is { } type)
        {
            foreach (var @interface in type.AllInterfaces)
            {
                foreach (var member in @interface.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol candidate &&
                        SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(candidate)?.OriginalDefinition, method.OriginalDefinition))
                    {
                        targets.Add(candidate.OriginalDefinition);
                    }
                }
            }
        }

        return targets;
    }

    /// <summary>Whether <paramref name="operation"/> is inside a lambda or local function below <paramref name="root"/>: a return there is not the member's.</summary>
    public static bool InsideLambda(IOperation operation, IOperation root)
    {
        for (var current = operation.Parent; current is not null && current != root; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, List<SyntaxNode>> IndexCalls(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var index = new Dictionary<string, List<SyntaxNode>>(System.StringComparer.Ordinal);
        foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
        {
            string? name = node switch
            {
                InvocationExpressionSyntax invocation => SyntaxNames.Last(invocation.Expression),
                ObjectCreationExpressionSyntax creation => SyntaxNames.Last(creation.Type),
                AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax assigned } => AssignedPrefix + assigned.Name.Identifier.ValueText,
                _ => null,
            };
            if (name is null)
            {
                continue;
            }

            if (!index.TryGetValue(name, out var list))
            {
                index[name] = list = new List<SyntaxNode>();
            }

            list.Add(node);
        }

        return index;
    }
}
