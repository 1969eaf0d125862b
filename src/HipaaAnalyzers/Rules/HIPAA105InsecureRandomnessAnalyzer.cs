using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using HipaaAnalyzers.Vocabulary;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

// Field initializers and helper bodies live in other trees; the driver caches semantic models per tree.
#pragma warning disable RS1030

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA105: a value from <c>System.Random</c> becomes a key, IV, nonce, salt, token, password, one-time code or
/// other secret. Decided by where the value goes: into a crypto API input, or into a local, field, property,
/// parameter or method result whose name says it is a security value. Shuffles, jitter, sampling and picks stay quiet
/// because their values go nowhere like that.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA105InsecureRandomnessAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property set when the diagnostic is on a <c>System.Random</c> call the fix can replace.</summary>
    public const string RandomCallProperty = "RandomCall";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.InsecureRandomness);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var state = new CompilationState(start.Compilation);
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(state.AnalyzeSink, OperationKind.ObjectCreation, OperationKind.SimpleAssignment,
                OperationKind.VariableDeclarator);
        });
    }

    private static bool IsRandom(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (TypeNames.Is(t, "System", "Random"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Random methods whose results are random values: Next, NextBytes (fills its argument), NextInt64, NextDouble, GetItems ...</summary>
    private static bool IsRandomValueCall(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name is "Next" or "NextBytes" or "NextInt64" or "NextDouble" or "NextSingle" or "GetItems" &&
        IsRandom(invocation.TargetMethod.ContainingType);

    private sealed class CompilationState
    {
        private readonly Compilation _compilation;
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _returnsRandom = new(SymbolEqualityComparer.Default);

        public CompilationState(Compilation compilation) => _compilation = compilation;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (IsRandomValueCall(invocation))
            {
                var found = Trace(invocation, context.ContainingSymbol, context.CancellationToken, out _);
                if (found is not null && !TestDataNames.Contains(context.ContainingSymbol))
                {
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(RandomCallProperty, invocation.TargetMethod.Name);
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.InsecureRandomness, invocation.Syntax.GetLocation(), properties,
                        Shorten(invocation.Syntax.ToString()), found));
                }

                return;
            }

            // A crypto API handed the result of a helper of this compilation that returns System.Random values.
            if (!CryptoInputs.IsCryptoNamespace(invocation.TargetMethod.ContainingType?.ContainingNamespace))
            {
                return;
            }

            foreach (var argument in invocation.Arguments)
            {
                var role = CryptoInputs.RoleOf(argument);
                if (role != CryptoInputRole.None)
                {
                    CheckSinkValue(context, argument.Value, InputOf(role, invocation.TargetMethod));
                }
            }
        }

        public void AnalyzeSink(OperationAnalysisContext context)
        {
            switch (context.Operation)
            {
                case IObjectCreationOperation creation when creation.Constructor is { } constructor &&
                                                             CryptoInputs.IsCryptoNamespace(constructor.ContainingType.ContainingNamespace):
                    foreach (var argument in creation.Arguments)
                    {
                        var role = CryptoInputs.RoleOf(argument);
                        if (role != CryptoInputRole.None)
                        {
                            CheckSinkValue(context, argument.Value, InputOf(role, constructor));
                        }
                    }

                    break;
                case ISimpleAssignmentOperation assignment:
                    if (TargetDescription(assignment.Target) is { } target)
                    {
                        CheckSinkValue(context, assignment.Value, target);
                    }

                    break;
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                    if (SecurityNames.Describe(declarator.Symbol.Name, declarator.Symbol.Type) is { } what)
                    {
                        CheckSinkValue(context, initializer.Value, "'" + declarator.Symbol.Name + "' (" + what + ")");
                    }

                    break;
            }
        }

        private static string? TargetDescription(IOperation target)
        {
            switch (target)
            {
                case IPropertyReferenceOperation property:
                    return property.Property.IsIndexer ? null : PropertyDescription(property.Property, property.Type);
                case IFieldReferenceOperation field:
                    return Named(field.Field.Name, field.Type);
                case ILocalReferenceOperation local:
                    return Named(local.Local.Name, local.Type);
                case IParameterReferenceOperation parameter:
                    return Named(parameter.Parameter.Name, parameter.Type);
                default:
                    return null;
            }
        }

        /// <summary>Reports a sink value that is the result of a helper whose name says nothing but which returns System.Random values.</summary>
        private void CheckSinkValue(OperationAnalysisContext context, IOperation value, string target)
        {
            // A local named like a security value was reported where the helper's result was put into it.
            if (CryptoSymbols.SkipConversions(value) is ILocalReferenceOperation local && SecurityNames.Describe(local.Local.Name, local.Local.Type) is not null)
            {
                return;
            }

            if (HelperReturningRandom(value, context.CancellationToken, depth: 0, visiting: null) is { } helper &&
                !TestDataNames.Contains(context.ContainingSymbol))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.InsecureRandomness, value.Syntax.GetLocation(),
                    Shorten(value.Syntax.ToString()), target + " (through '" + helper.Name + "')"));
            }
        }

        /// <summary>
        /// The method of this compilation whose result <paramref name="value"/> is (also through locals and string
        /// building), when that method returns System.Random values and its own name does not already get it reported.
        /// </summary>
        private IMethodSymbol? HelperReturningRandom(IOperation value, CancellationToken cancellationToken, int depth, HashSet<IMethodSymbol>? visiting)
        {
            if (depth > 4)
            {
                return null;
            }

            value = CryptoSymbols.SkipConversions(value);
            switch (value)
            {
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod.OriginalDefinition;
                    if (method.DeclaringSyntaxReferences.Length > 0 && method.MethodKind == MethodKind.Ordinary &&
                        SecurityNames.Describe(method.Name, method.ReturnType) is null &&
                        !TestDataNames.Contains(method) &&
                        ReturnsRandom(method, cancellationToken, depth, visiting))
                    {
                        return method;
                    }

                    if (!ForwardFlow.CarriesValue(invocation.TargetMethod))
                    {
                        return null;
                    }

                    // Encoding.UTF8.GetBytes(Token()), token.ToUpperInvariant(): what the call is made from.
                    if (invocation.Instance is { } instance && HelperReturningRandom(instance, cancellationToken, depth + 1, visiting) is { } viaInstance)
                    {
                        return viaInstance;
                    }

                    foreach (var argument in invocation.Arguments)
                    {
                        if (HelperReturningRandom(argument.Value, cancellationToken, depth + 1, visiting) is { } viaArgument)
                        {
                            return viaArgument;
                        }
                    }

                    return null;
                case ILocalReferenceOperation local:
                    foreach (var assigned in LocalAssignments.For(local).ValuesOf(local.Local))
                    {
                        if (HelperReturningRandom(assigned, cancellationToken, depth + 1, visiting) is { } found)
                        {
                            return found;
                        }
                    }

                    return null;
                case IInterpolatedStringOperation interpolated:
                    foreach (var part in interpolated.Parts)
                    {
                        if (part is IInterpolationOperation hole && HelperReturningRandom(hole.Expression, cancellationToken, depth + 1, visiting) is { } found)
                        {
                            return found;
                        }
                    }

                    return null;
                case IBinaryOperation binary:
                    return HelperReturningRandom(binary.LeftOperand, cancellationToken, depth + 1, visiting) ??
                           HelperReturningRandom(binary.RightOperand, cancellationToken, depth + 1, visiting);
                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    return HelperReturningRandom(conditional.WhenTrue, cancellationToken, depth + 1, visiting) ??
                           HelperReturningRandom(whenFalse, cancellationToken, depth + 1, visiting);
                case ICoalesceOperation coalesce:
                    return HelperReturningRandom(coalesce.Value, cancellationToken, depth + 1, visiting) ??
                           HelperReturningRandom(coalesce.WhenNull, cancellationToken, depth + 1, visiting);
                default:
                    return null;
            }
        }

        /// <summary>
        /// Whether a method of this compilation returns a value made from System.Random. Results computed from the
        /// outside are cached per method; results inside a chain of helpers, where a cycle may have been cut short,
        /// are not, so a cached answer never depends on which method was asked about first.
        /// </summary>
        private bool ReturnsRandom(IMethodSymbol method, CancellationToken cancellationToken, int depth, HashSet<IMethodSymbol>? visiting)
        {
            if (_returnsRandom.TryGetValue(method, out var known))
            {
                return known;
            }

            bool outermost = visiting is null;
            visiting ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);

            // Counted from here when outermost, so the cached answer does not depend on how deep the asker was.
            int innerDepth = outermost ? 0 : depth;
            if (!visiting.Add(method))
            {
                return false;
            }

            bool result = false;
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(cancellationToken);
                if (!_compilation.ContainsSyntaxTree(syntax.SyntaxTree))
                {
                    continue;
                }

                var body = _compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, cancellationToken);
                if (body is null)
                {
                    continue;
                }

                foreach (var operation in body.Descendants())
                {
                    if (operation is IInvocationOperation invocation && IsRandomValueCall(invocation))
                    {
                        Trace(invocation, method, cancellationToken, out var reachesReturn);
                        if (reachesReturn)
                        {
                            result = true;
                            break;
                        }
                    }
                    else if (operation is IReturnOperation { ReturnedValue: { } returned } && !ProgramIndex.InsideLambda(operation, body) &&
                             HelperReturningRandom(returned, cancellationToken, innerDepth + 1, visiting) is not null)
                    {
                        result = true;
                        break;
                    }
                }

                if (result)
                {
                    break;
                }
            }

            visiting.Remove(method);
            if (outermost)
            {
                _returnsRandom.TryAdd(method, result);
            }

            return result;
        }
    }

    private static string Shorten(string text)
    {
        text = text.Replace("\r", " ").Replace("\n", " ");
        return text.Length <= 80 ? text : text.Substring(0, 77) + "...";
    }

    /// <summary>
    /// Follows the random value of <paramref name="randomCall"/> forward through its method body
    /// (<see cref="ForwardFlow"/>) and returns a description of the first security value it becomes, or null.
    /// <paramref name="reachesReturn"/> tells whether the value is returned by the method (whose name did not make it
    /// a security value).
    /// </summary>
    private static string? Trace(IInvocationOperation randomCall, ISymbol? containingSymbol, CancellationToken cancellationToken, out bool reachesReturn)
    {
        var judge = new SecurityValueJudge(containingSymbol);
        string? found;
        if (randomCall.TargetMethod.Name == "NextBytes")
        {
            found = randomCall.Arguments.Length == 1
                ? ForwardFlow.IntoBuffer(randomCall.Arguments[0].Value, containingSymbol, judge.Judge, cancellationToken)
                : null;
        }
        else
        {
            found = ForwardFlow.From(randomCall, containingSymbol, judge.Judge, cancellationToken);
        }

        reachesReturn = judge.ReachesReturn;
        return found;
    }

    /// <summary>
    /// Which places a random value goes are security values: a holder, member or parameter named for one, a crypto API
    /// input, a generic code name inside a method named for a secret, the result of a member named for one. A value
    /// handed back to System.Random stays there; a lambda's result goes on only where it becomes items
    /// (<c>Select</c>), not where it orders them (<c>OrderBy</c>).
    /// </summary>
    private sealed class SecurityValueJudge
    {
        private readonly ISymbol? _owner;

        public SecurityValueJudge(ISymbol? owner) => _owner = owner;

        /// <summary>Whether the value reached the result of the followed method, whose name says nothing.</summary>
        public bool ReachesReturn { get; private set; }

        public ForwardVerdict Judge(ForwardDestination destination)
        {
            switch (destination)
            {
                case { Kind: ForwardDestinationKind.Holder, Symbol: { } holder }:
                    return Holder(holder, destination.Type);
                case { Kind: ForwardDestinationKind.Member, Symbol: { } member }:
                    // A property set by assignment can be a crypto API input (aes.Key = ...); an initializer is judged by its name.
                    return ForwardVerdict.SinkOrStop(member is IPropertySymbol property && destination.Operation is IPropertyReferenceOperation
                        ? PropertyDescription(property, destination.Type)
                        : Named(member.Name, destination.Type));
                case { Kind: ForwardDestinationKind.Argument, Operation: IArgumentOperation argument }:
                    return Argument(argument, destination.Call);
                case { Kind: ForwardDestinationKind.LambdaResult }:
                    // chars.Select(_ => alphabet[rng.Next(n)]) makes random text; OrderBy(_ => rng.Next()) only shuffles.
                    return destination.Call is IInvocationOperation { TargetMethod.Name: "Select" or "SelectMany" or "ConvertAll" or "Aggregate" or "Range" or "Repeat" }
                        ? ForwardVerdict.Follow
                        : ForwardVerdict.Stop;
                case { Kind: ForwardDestinationKind.Result, Symbol: IMethodSymbol { MethodKind: MethodKind.LocalFunction } localFunction }:
                    return ForwardVerdict.SinkOrStop(ResultDescription(localFunction.Name, localFunction.ReturnType));
                case { Kind: ForwardDestinationKind.Result, Symbol: IMethodSymbol method }:
                    var name = method.MethodKind == MethodKind.PropertyGet && method.AssociatedSymbol is { } associated ? associated.Name : method.Name;
                    if (ResultDescription(name, method.ReturnType) is { } result)
                    {
                        return ForwardVerdict.SinkAt(result);
                    }

                    if (destination.Call is not null)
                    {
                        // A method the value was passed to hands it back to the call.
                        return ForwardVerdict.Follow;
                    }

                    ReachesReturn |= SymbolEqualityComparer.Default.Equals(method, _owner);
                    return ForwardVerdict.Stop;
                default:
                    return ForwardVerdict.Stop;
            }
        }

        private ForwardVerdict Holder(ISymbol symbol, ITypeSymbol? type)
        {
            if (Named(symbol.Name, type) is { } named)
            {
                return ForwardVerdict.SinkAt(named);
            }

            // "var code = rng.Next(...)" inside SendVerificationCode: the method says what the code is.
            if (symbol is ILocalSymbol && SecurityNames.IsGenericCodeName(symbol.Name) &&
                _owner is IMethodSymbol { Name: var ownerName } && SecurityNames.Describe(ownerName) is { } ownerWhat &&
                !ownerWhat.EndsWith("key", System.StringComparison.Ordinal))
            {
                return ForwardVerdict.SinkAt("'" + symbol.Name + "' in '" + ownerName + "' (" + ownerWhat + ")");
            }

            return ForwardVerdict.Follow;
        }

        private static ForwardVerdict Argument(IArgumentOperation argument, IOperation? call)
        {
            var role = CryptoInputs.RoleOf(argument);
            switch (call)
            {
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    if (role != CryptoInputRole.None)
                    {
                        return ForwardVerdict.SinkAt(InputOf(role, method));
                    }

                    return IsRandom(method.ContainingType) ? ForwardVerdict.Stop : NamedParameter(argument, method, method.Name);
                case IObjectCreationOperation { Constructor: { } constructor }:
                    return role != CryptoInputRole.None
                        ? ForwardVerdict.SinkAt(InputOf(role, constructor))
                        : NamedParameter(argument, constructor, constructor.ContainingType.Name);
                default:
                    return ForwardVerdict.Follow;
            }
        }

        /// <summary>A parameter of a method of this compilation named for a security value is a sink; otherwise the value goes on.</summary>
        private static ForwardVerdict NamedParameter(IArgumentOperation argument, IMethodSymbol method, string methodName) =>
            argument.Parameter is { } parameter && method.DeclaringSyntaxReferences.Length > 0 &&
            SecurityNames.Describe(parameter.Name, parameter.Type) is { } what
                ? ForwardVerdict.SinkAt("parameter '" + parameter.Name + "' of '" + methodName + "' (" + what + ")")
                : ForwardVerdict.Follow;

        private static string? ResultDescription(string name, ITypeSymbol returnType) =>
            SecurityNames.Describe(name, returnType) is { } what ? "the result of '" + name + "' (" + what + ")" : null;
    }

    /// <summary>"the key of 'Aes.CreateEncryptor(byte[], byte[])'": a crypto API input.</summary>
    private static string InputOf(CryptoInputRole role, IMethodSymbol method) => CryptoInputs.Describe(role) + " of '" + CryptoSymbols.Display(method) + "'";

    /// <summary>A property set to the value: the key or IV of a crypto type, or named for a security value.</summary>
    private static string? PropertyDescription(IPropertySymbol property, ITypeSymbol? type)
    {
        var role = CryptoInputs.RoleOf(property);
        return role != CryptoInputRole.None ? CryptoInputs.Describe(role) + " of '" + property.ContainingType.Name + "'" : Named(property.Name, type);
    }

    private static string? Named(string name, ITypeSymbol? type) =>
        SecurityNames.Describe(name, type) is { } what ? "'" + name + "' (" + what + ")" : null;
}
