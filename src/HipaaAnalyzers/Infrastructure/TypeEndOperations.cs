using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace HipaaAnalyzers.Infrastructure;

/// <summary>One operation handed to a rule, with what the rule needs to judge it and report.</summary>
internal readonly struct OperationSite
{
    private readonly Action<Diagnostic> _report;

    public OperationSite(IOperation operation, ISymbol containingSymbol, AnalyzerOptions options, Action<Diagnostic> report)
    {
        Operation = operation;
        ContainingSymbol = containingSymbol;
        Options = options;
        _report = report;
    }

    public IOperation Operation { get; }

    /// <summary>The member whose body holds the operation.</summary>
    public ISymbol ContainingSymbol { get; }

    public AnalyzerOptions Options { get; }

    public void ReportDiagnostic(Diagnostic diagnostic) => _report(diagnostic);
}

/// <summary>
/// Operation actions judged at the end of the class or struct that holds the operation. Tracing a value reads the
/// bodies of the methods it calls, and most of those are members of the same type (<c>Describe(item)</c> beside the
/// log call that writes it). At the end of the type the driver has bound every member of it and cached the trees in the
/// semantic model it shares with the analyzers, so they are read, not bound ahead of the driver. Operations outside a
/// member of such a type (top-level statements, interfaces, attributes of a type) are judged at once, and so are those
/// of a type that declares no code (<see cref="HoldsCode"/>): the attributes of its members are all it has.
/// </summary>
internal static class TypeEndOperations
{
    /// <summary>
    /// Registers <paramref name="judge"/> for the operations of <paramref name="kinds"/> that <paramref name="select"/>
    /// (a cheap test, run on every such operation) keeps. Each selected operation is judged exactly once.
    /// </summary>
    public static void Register(
        CompilationStartAnalysisContext start, Func<IOperation, bool> select, Action<OperationSite> judge, params OperationKind[] kinds)
    {
        start.RegisterOperationAction(operation =>
        {
            if (!WaitsForTypeEnd(operation.ContainingSymbol) && select(operation.Operation))
            {
                judge(new OperationSite(operation.Operation, operation.ContainingSymbol, operation.Options, operation.ReportDiagnostic));
            }
        }, kinds);

        start.RegisterSymbolStartAction(symbolStart =>
        {
            // A type given no action costs the driver nothing per member; one given an action costs it a set of actions
            // for every member, fields and auto-properties included. Most classes of data (entities, DTOs, options) hold
            // no code, so they are given none.
            var type = (INamedTypeSymbol)symbolStart.Symbol;
            if (!CanWait(type) || !HoldsCode(type, symbolStart.CancellationToken))
            {
                return;
            }

            ConcurrentQueue<(IOperation Operation, ISymbol Owner)>? selected = null;
            symbolStart.RegisterOperationAction(operation =>
            {
                // The actions of a type also run for its nested types' members: each operation waits for its own type.
                var owner = operation.ContainingSymbol;
                if (owner is not INamedTypeSymbol && SymbolEqualityComparer.Default.Equals(owner.ContainingType, type) && select(operation.Operation))
                {
                    LazyInitializer.EnsureInitialized(ref selected, () => new ConcurrentQueue<(IOperation, ISymbol)>())!.Enqueue((operation.Operation, owner));
                }
            }, kinds);
            symbolStart.RegisterSymbolEndAction(end =>
            {
                if (selected is null)
                {
                    return;
                }

                while (selected.TryDequeue(out var item))
                {
                    judge(new OperationSite(item.Operation, item.Owner, end.Options, end.ReportDiagnostic));
                }
            });
        }, SymbolKind.NamedType);
    }

    /// <summary>
    /// Whether the operations of <paramref name="owner"/>'s body are judged at the end of its type: it is a member (not a
    /// type) of a class or struct that does not hold top-level statements.
    /// </summary>
    public static bool WaitsForTypeEnd(ISymbol? owner) =>
        owner is not null and not INamedTypeSymbol && CanWait(owner.ContainingType) && HoldsCode(owner.ContainingType, CancellationToken.None);

    /// <summary>
    /// A class or struct, not the implicit class of top-level statements or of a script. Only types of the compilation
    /// are asked about (the owners of analyzed code, the symbols of symbol start actions), so none comes from metadata.
    /// This runs for every operation of every rule that waits, so the members of a type are looked up only for a type
    /// named like the class of top-level statements (<c>Program</c>, which a <c>partial class Program</c> declares too).
    /// </summary>
    public static bool CanWait(INamedTypeSymbol? type) =>
        type is { TypeKind: TypeKind.Class or TypeKind.Struct, IsImplicitlyDeclared: false } &&
        !(type.Name == WellKnownMemberNames.TopLevelStatementsEntryPointTypeName &&
          !type.GetMembers(WellKnownMemberNames.TopLevelStatementsEntryPointMethodName).IsEmpty);

    /// <summary>
    /// Whether a declaration of <paramref name="type"/> itself (not a nested type) holds code an operation can come from:
    /// the body or expression body of a method, constructor, operator or accessor, the initializer of a field, property
    /// or event, a constructor initializer (<c>: base(...)</c>), or the arguments a primary constructor hands to its base
    /// type. A class of auto-properties and fields without initializers holds none; the attributes on its members are
    /// operations of those members, and are judged at once. Asked once per type: the answer is kept for the type, and
    /// the last one asked on the thread is answered first, as the operations of one body all ask about one type.
    /// </summary>
    internal static bool HoldsCode(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (t_lastType is { } last && last.TryGetTarget(out var lastType) && ReferenceEquals(lastType, type))
        {
            return t_lastHoldsCode;
        }

        bool holdsCode = Answers.GetValue(type, t => new StrongBox<bool>(ComputeHoldsCode(t, cancellationToken))).Value;
        // Held weakly: the thread outlives the compilation the type belongs to.
        if (t_lastType is null)
        {
            t_lastType = new WeakReference<INamedTypeSymbol>(type);
        }
        else
        {
            t_lastType.SetTarget(type);
        }

        t_lastHoldsCode = holdsCode;
        return holdsCode;
    }

    private static bool ComputeHoldsCode(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                // A declaration of another language or shape: judged at the end of the type, as before.
                return true;
            }

            if (declaration.BaseList is { } bases)
            {
                foreach (var baseType in bases.Types)
                {
                    if (baseType is PrimaryConstructorBaseTypeSyntax)
                    {
                        return true;
                    }
                }
            }

            foreach (var member in declaration.Members)
            {
                if (MemberHoldsCode(member))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool MemberHoldsCode(MemberDeclarationSyntax member)
    {
        switch (member)
        {
            case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                // A nested type is judged by its own symbol start action.
                return false;
            case BaseMethodDeclarationSyntax method:
                return method.Body is not null || method.ExpressionBody is not null ||
                       method is ConstructorDeclarationSyntax { Initializer: not null };
            case PropertyDeclarationSyntax property when property.ExpressionBody is not null || property.Initializer is not null:
                return true;
            case BasePropertyDeclarationSyntax property:
                if (property is IndexerDeclarationSyntax { ExpressionBody: not null })
                {
                    return true;
                }

                if (property.AccessorList is { } accessors)
                {
                    foreach (var accessor in accessors.Accessors)
                    {
                        if (accessor.Body is not null || accessor.ExpressionBody is not null)
                        {
                            return true;
                        }
                    }
                }

                return false;
            case BaseFieldDeclarationSyntax field:
                foreach (var variable in field.Declaration.Variables)
                {
                    if (variable.Initializer is not null)
                    {
                        return true;
                    }
                }

                return false;
            default:
                // Anything else the language adds later: judged at the end of the type, as before.
                return !member.IsKind(SyntaxKind.IncompleteMember);
        }
    }

    private static readonly ConditionalWeakTable<INamedTypeSymbol, StrongBox<bool>> Answers = new();

    [ThreadStatic]
    private static WeakReference<INamedTypeSymbol>? t_lastType;

    [ThreadStatic]
    private static bool t_lastHoldsCode;
}
