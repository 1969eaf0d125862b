using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Phi;

/// <summary>How a value that reaches a sink is written out.</summary>
internal enum SinkFormatting
{
    /// <summary>The sink calls ToString (log message arguments, Console.WriteLine, exception messages).</summary>
    ToString,

    /// <summary>The sink writes every public member ('{@x}' destructuring).</summary>
    Destructure,
}

/// <summary>
/// Follows a value back to where its PHI comes from: members, parameters and method results marked or named as PHI,
/// through locals, concatenation, interpolation, string.Format, StringBuilder, collections, LINQ projections,
/// conditionals, coalescing, anonymous objects, tuples and methods of this compilation. Sanitizers stop the trace.
/// </summary>
internal sealed class PhiFlow
{
    /// <summary>Bounds the work for one sink value, so a pathological method cannot stall the IDE.</summary>
    private const int OperationBudget = 10000;
    private const int MaxSummaryDepth = 4;
    private const int MaxDepth = 200;

    private readonly PhiModel _model;

    public PhiFlow(PhiModel model) => _model = model;

    /// <summary>Every PHI finding in a value that reaches a sink.</summary>
    public ImmutableArray<PhiFinding> Trace(IOperation value, SinkFormatting formatting)
    {
        var state = new TraceState(summaryMethod: null, summaryDepth: 0, value.SemanticModel);
        Visit(value, state);
        CheckWholeObject(value, formatting, state);
        return state.Findings.Count == 0 ? ImmutableArray<PhiFinding>.Empty : state.Findings.ToImmutableArray();
    }

    /// <summary>Which parameters of <paramref name="method"/> reach <paramref name="value"/>, an operation in its body.</summary>
    public ImmutableHashSet<int> ParametersReaching(IOperation value, IMethodSymbol method)
    {
        var state = new TraceState(method, summaryDepth: 1, value.SemanticModel);
        Visit(value, state);
        return state.ParametersReachingResult.Count == 0 ? ImmutableHashSet<int>.Empty : state.ParametersReachingResult.ToImmutableHashSet();
    }

    internal static MethodSummary GetSummary(PhiModel model, IMethodSymbol method) =>
        model.Flow.GetSummary(method, depth: 0, near: null);

    private MethodSummary GetSummary(IMethodSymbol method, int depth, SemanticModel? near)
    {
        method = method.OriginalDefinition;
        if (_model.Summaries.TryGetValue(method, out var cached))
        {
            return cached;
        }

        var guard = t_summaryGuard ??= new CycleGuard<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (depth > MaxSummaryDepth)
        {
            guard.MarkIncomplete();
            return MethodSummary.Empty;
        }

        // Recursion (direct or mutual) ends with "nothing known" for the call that closes the cycle.
        if (!guard.TryEnter(method))
        {
            return MethodSummary.Empty;
        }

        var summary = MethodSummary.Empty;
        bool complete = false;
        try
        {
            summary = ComputeSummary(method, depth, near);
        }
        finally
        {
            complete = guard.Exit();
        }

        if (complete)
        {
            _model.Summaries.TryAdd(method, summary);
        }

        return summary;
    }

    [System.ThreadStatic]
    private static CycleGuard<IMethodSymbol>? t_summaryGuard;

    private MethodSummary ComputeSummary(IMethodSymbol method, int depth, SemanticModel? near)
    {
        var body = GetBody(method, near);
        if (body is null)
        {
            return MethodSummary.Empty;
        }

        var state = new TraceState(method, depth + 1, body.SemanticModel);
        bool onlyClean = true;
        foreach (var returned in ReturnedValues(body))
        {
            Visit(returned, state);
            onlyClean &= IsKnownClean(returned);
        }

        var intrinsic = state.Findings.FirstOrDefault()?.Reason;
        return new MethodSummary(intrinsic, state.ParametersReachingResult.ToImmutableHashSet(), onlyClean);
    }

    /// <summary>
    /// The body of a method of this compilation, or null when it has none here. A method declared in the tree of
    /// <paramref name="near"/> (the semantic model of the code that asks: the driver's, for an operation it handed over)
    /// is read from that model, where the driver has bound it or will find it bound; the model the compilation hands
    /// out for a tree can be a new one once the driver has finished that tree (a symbol end action in the IDE), and
    /// would bind the body again.
    /// </summary>
    public IOperation? GetBody(IMethodSymbol method, SemanticModel? near = null)
    {
        if (method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.Length == 0)
        {
            return null;
        }

        // A partial method's body is on its implementation part.
        var implementation = method.PartialImplementationPart ?? method;
        foreach (var reference in implementation.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            if (!_model.Compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                continue;
            }

#pragma warning disable RS1030 // Summaries need the callee's body; the driver caches semantic models per tree.
            var semanticModel = near is not null && near.SyntaxTree == syntax.SyntaxTree && near.Compilation == _model.Compilation
                ? near
                : _model.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            var operation = semanticModel.GetOperation(syntax);
            if (operation is not null)
            {
                return operation;
            }
        }

        return null;
    }

    private static IEnumerable<IOperation> ReturnedValues(IOperation body)
    {
        var stack = new Stack<IOperation>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            if (operation is IReturnOperation { ReturnedValue: { } value } && operation.Kind != OperationKind.YieldBreak)
            {
                yield return value;
                continue;
            }

            foreach (var child in operation.ChildOperations)
            {
                // Returns inside lambdas and local functions belong to them.
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    stack.Push(child);
                }
            }
        }
    }

    private void Visit(IOperation? operation, TraceState state, bool formatted = false)
    {
        // Depth is bounded too: a generated 5,000-term concatenation must not exhaust the stack.
        if (operation is null || --state.Budget < 0 || state.Depth >= MaxDepth || operation.ConstantValue.HasValue)
        {
            return;
        }

        state.Depth++;
        try
        {
            VisitCore(operation, state, formatted);
        }
        finally
        {
            state.Depth--;
        }
    }

    private void VisitCore(IOperation operation, TraceState state, bool formatted)
    {

        if (formatted)
        {
            CheckWholeObject(operation, SinkFormatting.ToString, state);
        }

        switch (operation)
        {
            case IConversionOperation conversion:
                Visit(conversion.Operand, state, formatted);
                return;
            case IFieldReferenceOperation field:
                VisitMember(field, field.Field, field.Instance, state);
                return;
            case IPropertyReferenceOperation property:
                VisitProperty(property, state);
                return;
            case IParameterReferenceOperation parameter:
                VisitParameter(parameter, state);
                return;
            case ILocalReferenceOperation local:
                VisitLocal(local, state);
                return;
            case IInvocationOperation invocation:
                VisitInvocation(invocation, state);
                return;
            case IInterpolatedStringHandlerCreationOperation handler:
                Visit(handler.Content, state);
                return;
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolationOperation hole:
                            Visit(hole.Expression, state, formatted: true);
                            break;
                        case IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation append }:
                            foreach (var argument in append.Arguments)
                            {
                                Visit(argument.Value, state, formatted: true);
                            }

                            break;
                    }
                }

                return;
            case IBinaryOperation binary:
                if (binary.Type?.SpecialType == SpecialType.System_String)
                {
                    // "a" + b + c + ... nests to the left; walk that spine in a loop, not by recursion.
                    var operands = new Stack<IOperation>();
                    IOperation current = binary;
                    while (current is IBinaryOperation { Type.SpecialType: SpecialType.System_String } concat)
                    {
                        operands.Push(concat.RightOperand);
                        current = concat.LeftOperand;
                    }

                    Visit(current, state, formatted: true);
                    while (operands.Count > 0)
                    {
                        Visit(operands.Pop(), state, formatted: true);
                    }
                }

                return;
            case IConditionalOperation conditional:
                Visit(conditional.WhenTrue, state, formatted);
                Visit(conditional.WhenFalse, state, formatted);
                return;
            case ICoalesceOperation coalesce:
                Visit(coalesce.Value, state, formatted);
                Visit(coalesce.WhenNull, state, formatted);
                return;
            case IConditionalAccessOperation conditionalAccess:
                Visit(conditionalAccess.WhenNotNull, state, formatted);
                return;
            case IConditionalAccessInstanceOperation:
                for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IConditionalAccessOperation access)
                    {
                        Visit(access.Operation, state);
                        return;
                    }
                }

                return;
            case ISwitchExpressionOperation switchExpression:
                foreach (var arm in switchExpression.Arms)
                {
                    Visit(arm.Value, state, formatted);
                }

                return;
            case IObjectCreationOperation creation:
                VisitObjectCreation(creation, state);
                return;
            case IAnonymousObjectCreationOperation anonymous:
                foreach (var initializer in anonymous.Initializers)
                {
                    Visit(initializer is IAssignmentOperation assignment ? assignment.Value : initializer, state);
                }

                return;
            case ITupleOperation tuple:
                foreach (var element in tuple.Elements)
                {
                    Visit(element, state);
                }

                return;
            case IArrayCreationOperation array:
                Visit(array.Initializer, state, formatted);
                return;
            case IArrayInitializerOperation initializer:
                foreach (var element in initializer.ElementValues)
                {
                    Visit(element, state, formatted);
                }

                return;
            case IArrayElementReferenceOperation element:
                Visit(element.ArrayReference, state);
                return;
            case IAwaitOperation awaited:
                Visit(awaited.Operation, state);
                return;
            case IAssignmentOperation assignmentExpression:
                Visit(assignmentExpression.Value, state);
                return;
            case IDelegateCreationOperation delegateCreation:
                Visit(delegateCreation.Target, state);
                return;
            case IAnonymousFunctionOperation lambda:
                foreach (var returned in ReturnedValues(lambda.Body))
                {
                    Visit(returned, state);
                }

                return;
            case ITranslatedQueryOperation query:
                Visit(query.Operation, state);
                return;
            case IArgumentOperation argument:
                Visit(argument.Value, state, formatted);
                return;
            case IInvalidOperation:
                // Code that does not bind (a missing reference, a half-typed line) says nothing reliable about flow.
                return;
            case ILiteralOperation:
            case IDefaultValueOperation:
            case IInstanceReferenceOperation:
            case ITypeOfOperation:
            case INameOfOperation:
            case ISizeOfOperation:
            case IIsPatternOperation:
            case IIsTypeOperation:
                return;
            default:
                // Constructs without their own rule (collection expressions, with-expressions ...) pass on what they hold.
                if (PhiModel.IsDataType(operation.Type))
                {
                    foreach (var child in operation.ChildOperations)
                    {
                        Visit(child, state);
                    }
                }

                return;
        }
    }

    private void VisitMember(IOperation reference, ISymbol member, IOperation? instance, TraceState state)
    {
        var reason = ClassifyMember(member, instance);
        if (reason is not null)
        {
            state.Add(new PhiFinding(PhiFindingKind.Value, reference, reason));
            return;
        }

        // kvp.Value, nullable.Value, tuple.Item1: members of framework types and tuples pass on what their instance holds.
        if (instance is not null && (!_model.IsUserCode(member) || member.ContainingType?.IsTupleType == true) &&
            _model.IsValueCarrier(reference.Type))
        {
            Visit(instance, state);
        }
    }

    /// <summary>The member itself, or a weak name reached through a person's member (patient.HomeAddress.Street).</summary>
    private PhiReason? ClassifyMember(ISymbol member, IOperation? instance) =>
        ReachedThroughStaff(instance) ? null :
        _model.ClassifyMemberOf(member, instance?.Type) ??
        (FhirModel.IsPersonDataType(member.ContainingType) && FhirResourceOf(instance) is { } resource
            ? _model.ClassifyFhirMember(member, resource.Type)
            : null) ??
        (instance is IMemberReferenceOperation outer ? _model.ClassifyThroughPerson(member, outer.Member) : null);

    /// <summary>
    /// <c>doctor.User.FirstName</c>: a patients' account type reached through a staff member holds that staff member's
    /// data, not a patient's.
    /// </summary>
    private bool ReachedThroughStaff(IOperation? instance) =>
        instance is IMemberReferenceOperation { Member.ContainingType: { } owner, Type: INamedTypeSymbol account } &&
        _model.IsPatientAccount(account) && _model.IsNonPatientType(owner);

    private void VisitProperty(IPropertyReferenceOperation reference, TraceState state)
    {
        var property = reference.Property;
        if (ClassifyMember(property, reference.Instance) is { } reason)
        {
            // "SsnDisplay => Mask(Ssn)": a computed property that only returns sanitized values is clean whatever its name.
            bool computedClean = reason.ByName && IsDeclaredHere(property) && property.GetMethod is { } get &&
                                 !CodeOrigin.IsAutoProperty(property) && GetSummary(get, state.SummaryDepth, state.Model) is { Intrinsic: null, ReturnsOnlyCleanValues: true };
            if (!computedClean)
            {
                state.Add(new PhiFinding(PhiFindingKind.Value, reference, reason));
            }

            return;
        }

        if (_model.IsUserCode(property))
        {
            // A computed property such as "public string Display => $"{First} {Last}"" returns what its getter returns
            // (read here only: another project's bodies are not). A property of the team's own type is not its instance.
            if (IsDeclaredHere(property) && property.GetMethod is { } getter && !CodeOrigin.IsAutoProperty(property))
            {
                var summary = GetSummary(getter, state.SummaryDepth, state.Model);
                if (summary.Intrinsic is not null)
                {
                    state.Add(new PhiFinding(PhiFindingKind.Value, reference,
                        new PhiReason(property.ContainingType.Name + "." + property.Name, "returns " + summary.Intrinsic.What)));
                }
            }

            return;
        }

        if (reference.Instance is not null && _model.IsValueCarrier(reference.Type))
        {
            Visit(reference.Instance, state);
        }
    }

    private void VisitParameter(IParameterReferenceOperation reference, TraceState state)
    {
        var parameter = reference.Parameter;
        if (state.SummaryMethod is not null &&
            SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, state.SummaryMethod))
        {
            state.ParametersReachingResult.Add(parameter.Ordinal);
        }

        if (_model.ClassifySymbol(parameter) is { } reason)
        {
            if (state.SummaryMethod is null)
            {
                state.Add(new PhiFinding(PhiFindingKind.Value, reference, reason));
            }

            return;
        }

        // A lambda parameter holds the items of the collection the lambda is applied to: ssns.ForEach(s => ...).
        if (parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda)
        {
            for (var parent = reference.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IAnonymousFunctionOperation function &&
                    SymbolEqualityComparer.Default.Equals(function.Symbol, lambda))
                {
                    VisitLambdaSource(function, state);
                    return;
                }
            }
        }
    }

    private void VisitLambdaSource(IAnonymousFunctionOperation function, TraceState state)
    {
        var parent = function.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is IArgumentOperation { Parent: IInvocationOperation invocation } lambdaArgument)
        {
            Visit(invocation.Instance, state);
            foreach (var argument in invocation.Arguments)
            {
                if (argument != lambdaArgument && argument.Value.Type?.TypeKind != TypeKind.Delegate)
                {
                    Visit(argument.Value, state);
                }
            }
        }
    }

    private void VisitLocal(ILocalReferenceOperation reference, TraceState state)
    {
        var local = reference.Local;
        if (!state.VisitedLocals.Add(local))
        {
            return;
        }

        // A local's every assignment is visible, so what flows in decides; its name decides only for values
        // of unknown origin (a query string, a data reader), never for a redacted or constant value.
        int before = state.Findings.Count;
        bool opaque = false;
        foreach (var value in LocalAssignments.For(reference).ValuesOf(local))
        {
            Visit(value, state, formatted: IsStringBuilderOrWriter(local.Type));
            opaque |= !IsKnownClean(value);
        }

        if (state.Findings.Count == before && opaque && _model.ClassifySymbol(local) is { } reason)
        {
            state.Add(new PhiFinding(PhiFindingKind.Value, reference, reason));
        }
    }

    private bool IsKnownClean(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value.ConstantValue.HasValue || value is IInvocationOperation invocation && _model.IsSanitizer(invocation.TargetMethod);
    }

    private void VisitInvocation(IInvocationOperation invocation, TraceState state)
    {
        var method = invocation.TargetMethod;
        if (_model.IsSanitizer(method))
        {
            return;
        }

        var reason = _model.ClassifyReturn(method);
        bool hasBody = IsDeclaredHere(method) && !method.IsAbstract;
        if (reason is not null && !(reason.ByName && hasBody))
        {
            state.Add(new PhiFinding(PhiFindingKind.Value, invocation, reason));
            return;
        }

        if (IsSerializer(method))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Type.TypeKind is not (TypeKind.Delegate) &&
                    argument.Parameter?.Name is not ("options" or "settings" or "jsonTypeInfo" or "inputType" or "formatting"))
                {
                    CheckWholeObject(argument.Value, SinkFormatting.Destructure, state, "serialized");
                    Visit(argument.Value, state);
                }
            }

            return;
        }

        if (method.Name == "ToString" && invocation.Instance is { } formattedInstance)
        {
            CheckWholeObject(formattedInstance, SinkFormatting.ToString, state);
            Visit(formattedInstance, state);
            return;
        }

        if (hasBody)
        {
            VisitSourceCall(invocation, method, reason, state);
            return;
        }

        // A method of another project of the team (a Domain factory) has no body here: what it returns is judged by its
        // type's members, not assumed to hold its arguments as a framework value would.
        if (_model.IsUserCode(method) || !_model.IsValueCarrier(invocation.Type))
        {
            return;
        }

        bool formats = IsFormattingCall(method);
        bool joins = method.Name == "Join" && method.ContainingType?.SpecialType == SpecialType.System_String;
        Visit(invocation.Instance, state);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.SpecialType == SpecialType.System_Boolean)
            {
                continue;
            }

            if (joins && argument.Value.Type is { } joinedType && PhiModel.GetElementType(joinedType) is { } item &&
                _model.GetToStringLeak(item) is { } leak)
            {
                state.Add(new PhiFinding(PhiFindingKind.WholeObject, argument.Value, leak, "formatted by its ToString"));
            }

            Visit(argument.Value, state, formats);
        }
    }

    /// <summary>A call to a method whose body is visible: what its body returns decides, its name only when that is unknown.</summary>
    private void VisitSourceCall(IInvocationOperation invocation, IMethodSymbol method, PhiReason? nameReason, TraceState state)
    {
        var summary = GetSummary(method, state.SummaryDepth, state.Model);
        if (summary.Intrinsic is not null)
        {
            state.Add(new PhiFinding(PhiFindingKind.Value, invocation,
                new PhiReason(method.Name + "()", "returns " + summary.Intrinsic.What)));
        }
        else if (nameReason is not null && !summary.ReturnsOnlyCleanValues)
        {
            state.Add(new PhiFinding(PhiFindingKind.Value, invocation, nameReason));
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && summary.ParametersReachingResult.Contains(parameter.Ordinal))
            {
                Visit(argument.Value, state);
            }
        }
    }

    private void VisitObjectCreation(IObjectCreationOperation creation, TraceState state)
    {
        // new Uri(...), new KeyValuePair(...), new StringBuilder(...): framework values hold their arguments.
        // The user's own types are judged by their members instead (GetCarriedPhi).
        var type = creation.Type;
        if (type is null || _model.IsUserCode(type) || !_model.IsValueCarrier(type))
        {
            return;
        }

        foreach (var argument in creation.Arguments)
        {
            Visit(argument.Value, state);
        }

        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                // new List<string> { p.Ssn } initializes through Add calls, which return nothing themselves.
                if (member is IInvocationOperation add)
                {
                    foreach (var argument in add.Arguments)
                    {
                        Visit(argument.Value, state);
                    }
                }
                else
                {
                    Visit(member, state);
                }
            }
        }
    }

    /// <summary>A value formatted whole: a record's generated ToString, a leaking ToString override, '{@x}', serialization.</summary>
    private void CheckWholeObject(IOperation value, SinkFormatting formatting, TraceState state, string? how = null)
    {
        if (state.SummaryMethod is not null)
        {
            return;
        }

        var unwrapped = value;
        while (unwrapped is IConversionOperation conversion)
        {
            unwrapped = conversion.Operand;
        }

        var type = unwrapped.Type;
        if (type is null || type.SpecialType != SpecialType.None || unwrapped is IAnonymousObjectCreationOperation or ITupleOperation)
        {
            return;
        }

        if (formatting == SinkFormatting.Destructure)
        {
            // A logging library's destructuring honours the masks the team configured; a serializer does not know them.
            var carried = how is null ? _model.GetDestructuredPhi(type) : _model.GetCarriedPhi(type);
            if (carried is not null)
            {
                state.Add(new PhiFinding(PhiFindingKind.WholeObject, unwrapped, carried, how ?? "destructured"));
            }

            return;
        }

        if (_model.GetToStringLeak(type) is { } leak)
        {
            state.Add(new PhiFinding(PhiFindingKind.WholeObject, unwrapped, leak, type.IsRecord
                ? "formatted by its generated ToString"
                : "formatted by its ToString"));
        }
    }

    /// <summary>
    /// The FHIR resource a data type was read from: <c>patient</c> in <c>patient.Name[0].Family</c>,
    /// <c>patient.Name.First().Given</c> or <c>patient.Telecom.FirstOrDefault()?.Value</c>; a few steps at most.
    /// </summary>
    private static IOperation? FhirResourceOf(IOperation? instance)
    {
        for (int step = 0; instance is not null && step < 6; step++)
        {
            if (FhirModel.ResourceReason(instance.Type) is not null)
            {
                return instance;
            }

            instance = instance switch
            {
                IConversionOperation conversion => conversion.Operand,
                IPropertyReferenceOperation property => property.Instance,
                IFieldReferenceOperation field => field.Instance,
                IArrayElementReferenceOperation element => element.ArrayReference,
                IConditionalAccessInstanceOperation => EnclosingConditionalAccess(instance)?.Operation,
                IInvocationOperation { TargetMethod.IsExtensionMethod: true, Arguments.Length: > 0 } call => call.Arguments[0].Value,
                IInvocationOperation call => call.Instance,
                _ => null,
            };
        }

        return null;
    }

    private static IConditionalAccessOperation? EnclosingConditionalAccess(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IConditionalAccessOperation access)
            {
                return access;
            }
        }

        return null;
    }

    private static bool IsSerializer(IMethodSymbol method)
    {
        if (FhirModel.IsSerializer(method))
        {
            return true;
        }

        var type = method.ContainingType;
        return type is not null &&
               ((type.Name == "JsonSerializer" && method.Name.StartsWith("Serialize", System.StringComparison.Ordinal)) ||
                (type.Name == "JsonConvert" && method.Name == "SerializeObject"));
    }

    /// <summary>string.Format, string.Concat, StringBuilder.Append*: arguments are formatted with ToString.</summary>
    private static bool IsFormattingCall(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return method.Name is "Format" or "Concat" or "Join";
        }

        return type.Name == "StringBuilder" && method.Name.StartsWith("Append", System.StringComparison.Ordinal);
    }

    private static bool IsStringBuilderOrWriter(ITypeSymbol type) =>
        type.Name is "StringBuilder" or "StringWriter" or "TextWriter";

    /// <summary>Declared in this compilation, so its body can be read (a referenced project's cannot, in a build).</summary>
    private bool IsDeclaredHere(ISymbol symbol) => CodeOrigin.IsDeclaredIn(symbol, _model.Compilation);

    private sealed class TraceState
    {
        public TraceState(IMethodSymbol? summaryMethod, int summaryDepth, SemanticModel? model)
        {
            SummaryMethod = summaryMethod;
            SummaryDepth = summaryDepth;
            Model = model;
        }

        /// <summary>The semantic model of the code being traced, where the bodies of the same file's callees are read.</summary>
        public SemanticModel? Model { get; }

        public List<PhiFinding> Findings { get; } = new();
        public HashSet<ILocalSymbol> VisitedLocals { get; } = new(SymbolEqualityComparer.Default);
        public HashSet<int> ParametersReachingResult { get; } = new();
        public IMethodSymbol? SummaryMethod { get; }
        public int SummaryDepth { get; }
        public int Budget { get; set; } = OperationBudget;
        public int Depth { get; set; }

        public void Add(PhiFinding finding)
        {
            foreach (var existing in Findings)
            {
                if (existing.Source == finding.Source && existing.Kind == finding.Kind)
                {
                    return;
                }
            }

            Findings.Add(finding);
        }
    }
}
