using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Vocabulary;
using HipaaAnalyzers.Cryptography;
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

    private const int MaxSteps = 400;

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

    /// <summary>Where a random value ended up.</summary>
    private sealed class Destination
    {
        public Destination(string description, bool viaReturnOnly)
        {
            Description = description;
            ViaReturnOnly = viaReturnOnly;
        }

        public string Description { get; }

        /// <summary>Only reached the result of a method whose name says nothing; callers decide.</summary>
        public bool ViaReturnOnly { get; }
    }

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
                    CheckSinkValue(context, argument.Value, CryptoInputs.Describe(role) + " of '" + CryptoSymbols.Display(invocation.TargetMethod) + "'");
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
                            CheckSinkValue(context, argument.Value, CryptoInputs.Describe(role) + " of '" + CryptoSymbols.Display(constructor) + "'");
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
                    var role = CryptoInputs.RoleOf(property.Property);
                    if (role != CryptoInputRole.None)
                    {
                        return CryptoInputs.Describe(role) + " of '" + property.Property.ContainingType.Name + "'";
                    }

                    return property.Property.IsIndexer ? null : Named(property.Property.Name, property.Type);
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

        private static string? Named(string name, ITypeSymbol? type) =>
            SecurityNames.Describe(name, type) is { } what ? "'" + name + "' (" + what + ")" : null;

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

                    if (invocation.Instance is { } instance && IsTextHelper(invocation.TargetMethod))
                    {
                        return HelperReturningRandom(instance, cancellationToken, depth + 1, visiting);
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
                    else if (operation is IReturnOperation { ReturnedValue: { } returned } && !InAnonymousFunction(operation) &&
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

    private static bool InAnonymousFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static string Shorten(string text)
    {
        text = text.Replace("\r", " ").Replace("\n", " ");
        return text.Length <= 80 ? text : text.Substring(0, 77) + "...";
    }

    /// <summary>
    /// Follows the random value of <paramref name="randomCall"/> forward through its method body and returns a
    /// description of the first security value it becomes, or null. <paramref name="reachesReturn"/> tells whether
    /// the value is returned by the method (whose name did not make it a security value).
    /// </summary>
    private static string? Trace(IInvocationOperation randomCall, ISymbol? containingSymbol, CancellationToken cancellationToken, out bool reachesReturn)
    {
        var returned = new bool[1];
        var result = TraceCore(randomCall, containingSymbol, returned, cancellationToken);
        reachesReturn = returned[0];
        return result;
    }

    private static string? TraceCore(IInvocationOperation randomCall, ISymbol? containingSymbol, bool[] reachesReturn, CancellationToken cancellationToken)
    {
        var root = (IOperation)randomCall;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        var references = SymbolReferences.For(root);
        var queue = new Queue<IOperation>();
        var taintedSymbols = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        int steps = 0;

        string? TaintSymbol(ISymbol symbol, ITypeSymbol? type)
        {
            if (!taintedSymbols.Add(symbol))
            {
                return null;
            }

            if (symbol is ILocalSymbol or IFieldSymbol or IParameterSymbol or IPropertySymbol &&
                SecurityNames.Describe(symbol.Name, type) is { } what)
            {
                return "'" + symbol.Name + "' (" + what + ")";
            }

            // "var code = rng.Next(...)" inside SendVerificationCode: the method says what the code is.
            if (symbol is ILocalSymbol && SecurityNames.IsGenericCodeName(symbol.Name) &&
                containingSymbol is IMethodSymbol { Name: var ownerName } && SecurityNames.Describe(ownerName) is { } ownerWhat &&
                !ownerWhat.EndsWith("key", System.StringComparison.Ordinal))
            {
                return "'" + symbol.Name + "' in '" + ownerName + "' (" + ownerWhat + ")";
            }

            foreach (var reference in references.Of(symbol))
            {
                queue.Enqueue(reference);
            }

            return null;
        }

        if (randomCall.TargetMethod.Name == "NextBytes")
        {
            if (randomCall.Arguments.Length != 1 || RootSymbol(randomCall.Arguments[0].Value) is not { } buffer)
            {
                return null;
            }

            if (TaintSymbol(buffer, SymbolType(buffer)) is { } named)
            {
                return named;
            }
        }
        else
        {
            queue.Enqueue(randomCall);
        }

        while (queue.Count > 0)
        {
            if (++steps > MaxSteps)
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var value = queue.Dequeue();
            var parent = value.Parent;
            switch (parent)
            {
                case null:
                    break;
                case IConversionOperation:
                case ICoalesceOperation:
                case IInterpolationOperation:
                case IArrayInitializerOperation:
                    queue.Enqueue(parent);
                    break;
                case IInterpolatedStringContentOperation or IInterpolatedStringOperation:
                    queue.Enqueue(parent);
                    break;
                case IArrayCreationOperation creation when creation.Initializer == value:
                    queue.Enqueue(parent);
                    break;
                case IBinaryOperation binary when IsValuePreserving(binary.OperatorKind):
                    queue.Enqueue(parent);
                    break;
                case IConditionalOperation conditional when conditional.Condition != value:
                    queue.Enqueue(parent);
                    break;
                case IArrayElementReferenceOperation:
                    // alphabet[rng.Next(n)] picks a random element; randomBytes[i] is a random byte.
                    queue.Enqueue(parent);
                    break;
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Instance == value:
                    queue.Enqueue(parent);
                    break;
                case IInvocationOperation invocation when invocation.Instance == value:
                    if (IsTextHelper(invocation.TargetMethod))
                    {
                        queue.Enqueue(invocation);
                    }
                    else if (invocation.TargetMethod.Name == "CopyTo" && invocation.Arguments.Length > 0 &&
                             RootSymbol(invocation.Arguments[0].Value) is { } copyTarget &&
                             TaintSymbol(copyTarget, SymbolType(copyTarget)) is { } copied)
                    {
                        return copied;
                    }

                    break;
                case IArgumentOperation argument:
                    if (Argument(argument, value) is { } found)
                    {
                        return found;
                    }

                    break;
                case IReturnOperation:
                    if (ReturnedFrom(parent, containingSymbol) is { } returned)
                    {
                        return returned;
                    }

                    break;
                case ISimpleAssignmentOperation assignment when assignment.Value == value:
                    if (Assigned(assignment.Target) is { } assigned)
                    {
                        return assigned;
                    }

                    break;
                case ICompoundAssignmentOperation compound when compound.Value == value && IsValuePreserving(compound.OperatorKind):
                    if (Assigned(compound.Target) is { } compounded)
                    {
                        return compounded;
                    }

                    break;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    if (TaintSymbol(declarator.Symbol, declarator.Symbol.Type) is { } local)
                    {
                        return local;
                    }

                    break;
                case IFieldInitializerOperation fieldInitializer:
                    foreach (var field in fieldInitializer.InitializedFields)
                    {
                        if (SecurityNames.Describe(field.Name, field.Type) is { } what)
                        {
                            return "'" + field.Name + "' (" + what + ")";
                        }
                    }

                    break;
                case IPropertyInitializerOperation propertyInitializer:
                    foreach (var property in propertyInitializer.InitializedProperties)
                    {
                        if (SecurityNames.Describe(property.Name, property.Type) is { } what)
                        {
                            return "'" + property.Name + "' (" + what + ")";
                        }
                    }

                    break;
            }
        }

        return null;

        string? Assigned(IOperation target)
        {
            target = CryptoSymbols.SkipConversions(target);
            switch (target)
            {
                case IPropertyReferenceOperation { Property.IsIndexer: false } property:
                    var role = CryptoInputs.RoleOf(property.Property);
                    if (role != CryptoInputRole.None)
                    {
                        return CryptoInputs.Describe(role) + " of '" + property.Property.ContainingType.Name + "'";
                    }

                    return SecurityNames.Describe(property.Property.Name, property.Type) is { } what
                        ? "'" + property.Property.Name + "' (" + what + ")"
                        : null;
                case ILocalReferenceOperation or IFieldReferenceOperation or IParameterReferenceOperation:
                    return RootSymbol(target) is { } symbol ? TaintSymbol(symbol, target.Type) : null;
                case IArrayElementReferenceOperation element:
                    return RootSymbol(element.ArrayReference) is { } array ? TaintSymbol(array, element.ArrayReference.Type) : null;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                    return RootSymbol(instance) is { } collection ? TaintSymbol(collection, instance.Type) : null;
                default:
                    return null;
            }
        }

        string? Argument(IArgumentOperation argument, IOperation value)
        {
            switch (argument.Parent)
            {
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    var role = CryptoInputs.RoleOf(argument);
                    if (role != CryptoInputRole.None)
                    {
                        return CryptoInputs.Describe(role) + " of '" + CryptoSymbols.Display(method) + "'";
                    }

                    if (IsRandom(method.ContainingType))
                    {
                        return null;
                    }

                    if (argument.Parameter is { } parameter && method.DeclaringSyntaxReferences.Length > 0 &&
                        SecurityNames.Describe(parameter.Name, parameter.Type) is { } what)
                    {
                        return "parameter '" + parameter.Name + "' of '" + method.Name + "' (" + what + ")";
                    }

                    if (method.Name is "Append" or "AppendLine" or "AppendFormat" or "Insert" or "Add" or "AddRange" &&
                        invocation.Instance is { } receiver)
                    {
                        if (RootSymbol(receiver) is { } builder && TaintSymbol(builder, receiver.Type) is { } built)
                        {
                            return built;
                        }

                        queue.Enqueue(invocation);
                        return null;
                    }

                    if (method.Name is "Copy" or "BlockCopy" or "ConstrainedCopy" &&
                        method.ContainingType?.Name is "Array" or "Buffer" && argument.Parameter?.Ordinal == 0)
                    {
                        foreach (var other in invocation.Arguments)
                        {
                            if (other != argument && CryptoSymbols.SkipConversions(other.Value).Type is IArrayTypeSymbol destinationType &&
                                RootSymbol(other.Value) is { } destination && TaintSymbol(destination, destinationType) is { } copied)
                            {
                                return copied;
                            }
                        }

                        return null;
                    }

                    if (IsTextHelper(method))
                    {
                        queue.Enqueue(invocation);
                    }

                    return null;
                case IObjectCreationOperation creation when creation.Constructor is { } constructor:
                    var creationRole = CryptoInputs.RoleOf(argument);
                    if (creationRole != CryptoInputRole.None)
                    {
                        return CryptoInputs.Describe(creationRole) + " of '" + CryptoSymbols.Display(constructor) + "'";
                    }

                    if (argument.Parameter is { } ctorParameter && constructor.DeclaringSyntaxReferences.Length > 0 &&
                        SecurityNames.Describe(ctorParameter.Name, ctorParameter.Type) is { } ctorWhat)
                    {
                        return "parameter '" + ctorParameter.Name + "' of '" + constructor.ContainingType.Name + "' (" + ctorWhat + ")";
                    }

                    if (creation.Type?.SpecialType == SpecialType.System_String ||
                        TypeNames.Is(creation.Type, "System.Text", "StringBuilder"))
                    {
                        queue.Enqueue(creation);
                    }

                    return null;
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                    queue.Enqueue(indexer);
                    return null;
                default:
                    return null;
            }
        }

        string? ReturnedFrom(IOperation returnOperation, ISymbol? owner)
        {
            for (var current = returnOperation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation lambda)
                {
                    // chars.Select(_ => alphabet[rng.Next(n)]) makes random text; OrderBy(_ => rng.Next()) only shuffles.
                    var use = lambda.Parent;
                    while (use is IDelegateCreationOperation or IConversionOperation)
                    {
                        use = use.Parent;
                    }

                    if (use is IArgumentOperation { Parent: IInvocationOperation call } &&
                        call.TargetMethod.Name is "Select" or "SelectMany" or "ConvertAll" or "Aggregate" or "Range" or "Repeat")
                    {
                        queue.Enqueue(call);
                    }

                    return null;
                }

                if (current is ILocalFunctionOperation localFunction)
                {
                    return SecurityNames.Describe(localFunction.Symbol.Name, localFunction.Symbol.ReturnType) is { } what
                        ? "the result of '" + localFunction.Symbol.Name + "' (" + what + ")"
                        : null;
                }
            }

            if (owner is IMethodSymbol method)
            {
                var name = method.MethodKind == MethodKind.PropertyGet && method.AssociatedSymbol is { } property ? property.Name : method.Name;
                if (SecurityNames.Describe(name, method.ReturnType) is { } what)
                {
                    return "the result of '" + name + "' (" + what + ")";
                }

                reachesReturn[0] = true;
            }

            return null;
        }
    }

    private static ISymbol? RootSymbol(IOperation operation)
    {
        operation = CryptoSymbols.SkipConversions(operation);
        while (true)
        {
            switch (operation)
            {
                case IInvocationOperation { Instance: { } instance } invocation
                    when invocation.TargetMethod.Name is "AsSpan" or "AsMemory" or "Slice":
                    operation = CryptoSymbols.SkipConversions(instance);
                    continue;
                case IInvocationOperation { Instance: null, Arguments.Length: > 0 } extension
                    when extension.TargetMethod.IsExtensionMethod && extension.TargetMethod.Name is "AsSpan" or "AsMemory":
                    operation = CryptoSymbols.SkipConversions(extension.Arguments[0].Value);
                    continue;
                case ILocalReferenceOperation local:
                    return local.Local;
                case IFieldReferenceOperation field:
                    return field.Field;
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter;
                case IPropertyReferenceOperation { Property.IsIndexer: false } property:
                    return property.Property;
                default:
                    return null;
            }
        }
    }

    private static ITypeSymbol? SymbolType(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IFieldSymbol field => field.Type,
        IParameterSymbol parameter => parameter.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static bool IsValuePreserving(BinaryOperatorKind kind) => kind is
        BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or
        BinaryOperatorKind.Remainder or BinaryOperatorKind.And or BinaryOperatorKind.Or or BinaryOperatorKind.ExclusiveOr or
        BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift or
        BinaryOperatorKind.Concatenate;

    /// <summary>
    /// Framework calls that carry a random value into their result: formatting, string and array building, encoding,
    /// LINQ projections. Ordering, filtering, comparing and timing calls are not among them.
    /// </summary>
    private static bool IsTextHelper(IMethodSymbol method)
    {
        var ns = method.ContainingType?.ContainingNamespace;
        if (!(TypeNames.IsInNamespace(ns, "System") || TypeNames.IsInNamespace(ns, "System.Text") || TypeNames.IsInNamespace(ns, "System.Linq") ||
              TypeNames.IsInNamespace(ns, "System.Collections.Generic")))
        {
            return false;
        }

        switch (method.Name)
        {
            case "ToString":
            case "ToUpper":
            case "ToUpperInvariant":
            case "ToLower":
            case "ToLowerInvariant":
            case "Substring":
            case "PadLeft":
            case "PadRight":
            case "Trim":
            case "TrimEnd":
            case "TrimStart":
            case "Replace":
            case "Insert":
            case "Remove":
            case "ToArray":
            case "ToList":
            case "ToCharArray":
            case "AsSpan":
            case "AsMemory":
            case "Slice":
            case "Take":
            case "Skip":
            case "Concat":
            case "Reverse":
            case "AsEnumerable":
            case "Append":
            case "AppendLine":
            case "AppendFormat":
            case "Join":
            case "Format":
            case "Create":
            case "ToBase64String":
            case "ToBase64CharArray":
            case "ToHexString":
            case "ToHexStringLower":
            case "GetString":
            case "GetBytes":
            case "Select":
            case "SelectMany":
            case "Aggregate":
            case "Range":
            case "Repeat":
            case "Abs":
            case "Round":
            case "Floor":
            case "Ceiling":
            case "ToInt32":
            case "ToInt64":
            case "ToUInt32":
            case "ToUInt64":
            case "ToChar":
            case "ToByte":
            case "ToDecimal":
                return true;
            default:
                return false;
        }
    }

    /// <summary>The operations of one body that read each local, parameter, field and property; built once per body.</summary>
    private sealed class SymbolReferences
    {
        private static readonly ConditionalWeakTable<IOperation, SymbolReferences> Cache = new();
        private readonly Dictionary<ISymbol, List<IOperation>> _references = new(SymbolEqualityComparer.Default);

        private SymbolReferences(IOperation root)
        {
            foreach (var operation in root.Descendants())
            {
                ISymbol? symbol = operation switch
                {
                    ILocalReferenceOperation local => local.Local,
                    IParameterReferenceOperation parameter => parameter.Parameter,
                    IFieldReferenceOperation field => field.Field,
                    IPropertyReferenceOperation { Property.IsIndexer: false } property => property.Property,
                    _ => null,
                };
                if (symbol is null || IsWrite(operation))
                {
                    continue;
                }

                if (!_references.TryGetValue(symbol, out var list))
                {
                    list = new List<IOperation>(2);
                    _references.Add(symbol, list);
                }

                list.Add(operation);
            }
        }

        public static SymbolReferences For(IOperation root) => Cache.GetValue(root, r => new SymbolReferences(r));

        public IReadOnlyList<IOperation> Of(ISymbol symbol) =>
            _references.TryGetValue(symbol, out var list) ? list : (IReadOnlyList<IOperation>)System.Array.Empty<IOperation>();

        private static bool IsWrite(IOperation operation) =>
            operation.Parent is IAssignmentOperation assignment && assignment.Target == operation &&
            assignment is not ICompoundAssignmentOperation;
    }
}
