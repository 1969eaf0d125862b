using System.Collections.Generic;
using System.Linq;
using System.Threading;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Body = (HipaaAnalyzers.Flow.SymbolReferences References, Microsoft.CodeAnalysis.ISymbol? Owner, Microsoft.CodeAnalysis.Operations.IInvocationOperation? Call);

namespace HipaaAnalyzers.Flow;

/// <summary>What kind of place a value reached in <see cref="ForwardFlow"/>.</summary>
internal enum ForwardDestinationKind
{
    /// <summary>
    /// A local, field, parameter or property that holds the value: assigned or declared with it, the array or collection
    /// it becomes an element or item of, the destination of a copy, the builder it is appended to, the parameter of a
    /// method of the same file it is passed to. Followed: every read of it in the body; for a field, also in the other
    /// members of its type in the same file.
    /// </summary>
    Holder,

    /// <summary>
    /// A property assigned the value, or a field or property initialized with it. Only judged: a property may compute what
    /// it returns, and an initializer's readers are in other bodies.
    /// </summary>
    Member,

    /// <summary>
    /// An argument of a call or object creation (<see cref="ForwardDestination.Call"/>). Followed where the framework
    /// carries it: into the result (<see cref="ForwardFlow.CarriesValue"/>, <c>new string(...)</c>,
    /// <c>new StringBuilder(...)</c>), into the receiver of <c>Append</c> or <c>Add</c>, into the destination of
    /// <c>Array.Copy</c> or <c>Buffer.BlockCopy</c>; for an ordinary method declared in the same file, into its
    /// parameter (a <see cref="Holder"/>).
    /// </summary>
    Argument,

    /// <summary>
    /// The result of a member or local function (<see cref="ForwardDestination.Symbol"/>). Followed, for a method the walk
    /// entered from a call (<see cref="ForwardDestination.Call"/>), into that call.
    /// </summary>
    Result,

    /// <summary>The result of a lambda. Followed: into the call the lambda is passed to (<see cref="ForwardDestination.Call"/>, when there is one).</summary>
    LambdaResult,
}

/// <summary>One place a value goes in <see cref="ForwardFlow"/>, handed to the caller's judge.</summary>
internal sealed class ForwardDestination
{
    private ForwardDestination(ForwardDestinationKind kind, ISymbol? symbol, ITypeSymbol? type, IOperation? operation, IOperation? call)
    {
        Kind = kind;
        Symbol = symbol;
        Type = type;
        Operation = operation;
        Call = call;
    }

    public ForwardDestinationKind Kind { get; }

    /// <summary>The holder or member; for a result, the member or local function whose result it is.</summary>
    public ISymbol? Symbol { get; }

    /// <summary>The type of the holder or member as the code that stores the value sees it (a span over an array, for one).</summary>
    public ITypeSymbol? Type { get; }

    /// <summary>
    /// The argument, the return, the lambda, the property assigned, or the field or property initializer; for a holder
    /// nothing.
    /// </summary>
    public IOperation? Operation { get; }

    /// <summary>
    /// The invocation or object creation an argument is passed to, the invocation a lambda is passed to, or for a result
    /// the call the walk entered the method from.
    /// </summary>
    public IOperation? Call { get; }

    public static ForwardDestination Holder(ISymbol symbol, ITypeSymbol? type) => new(ForwardDestinationKind.Holder, symbol, type, null, null);

    public static ForwardDestination Member(ISymbol symbol, ITypeSymbol? type, IOperation written) => new(ForwardDestinationKind.Member, symbol, type, written, null);

    public static ForwardDestination Argument(IArgumentOperation argument, IOperation call) => new(ForwardDestinationKind.Argument, null, null, argument, call);

    public static ForwardDestination Result(ISymbol owner, IOperation returned, IInvocationOperation? call) =>
        new(ForwardDestinationKind.Result, owner, null, returned, call);

    public static ForwardDestination LambdaResult(IAnonymousFunctionOperation lambda, IInvocationOperation? call) =>
        new(ForwardDestinationKind.LambdaResult, null, null, lambda, call);
}

/// <summary>What a judge says about a <see cref="ForwardDestination"/>: a sink (the query stops with its description), follow on, or stop on this path.</summary>
internal readonly struct ForwardVerdict
{
    private ForwardVerdict(string? sink, bool follows)
    {
        Sink = sink;
        Follows = follows;
    }

    public static ForwardVerdict Follow => new(null, true);

    public static ForwardVerdict Stop => new(null, false);

    /// <summary>The description the query ends with, for a sink.</summary>
    public string? Sink { get; }

    public bool Follows { get; }

    public static ForwardVerdict SinkAt(string description) => new(description, false);

    /// <summary>A sink when <paramref name="description"/> is one, otherwise stop.</summary>
    public static ForwardVerdict SinkOrStop(string? description) => description is null ? Stop : SinkAt(description);
}

/// <summary>
/// The forward query of the value-flow engine: where a value goes in its member body, one step at a time. Through
/// conversions, <c>??</c>, <c>?:</c> branches, interpolation, array initializers and creations, value-preserving binary
/// operators (<see cref="IsValuePreserving"/>), element and indexer reads, framework calls that carry it
/// (<see cref="CarriesValue"/>), <c>CopyTo</c>, <c>Array.Copy</c> and <c>Buffer.BlockCopy</c>, assignments, compound
/// assignments and initializers, and then every read of each holder (<see cref="SymbolReferences"/>), into the methods
/// of the same file the value is passed to and back out of their results to that call, and into the other members of
/// the same file that read a field holding it (other files are not bound). Each destination
/// is handed to the caller's judge, which knows what a sink is; the walk stops at the first sink. Bounded by a
/// <see cref="FlowBudget"/>: <see cref="FlowBudget.MaxSteps"/> steps and <see cref="FlowBudget.MaxSymbols"/> holders.
/// The backward query is <see cref="ValueFlow.Back"/>.
/// </summary>
internal static class ForwardFlow
{
    /// <summary>
    /// Follows the value of <paramref name="start"/> and returns the description of the first sink the judge names, or
    /// null. <paramref name="owner"/> is the member whose body it is (its result is a <see cref="ForwardDestinationKind.Result"/>).
    /// </summary>
    public static string? From(IOperation start, ISymbol? owner, System.Func<ForwardDestination, ForwardVerdict> judge, CancellationToken cancellationToken)
    {
        var walk = new Walk(start, owner, judge, cancellationToken);
        walk.Enqueue(start);
        return walk.Run();
    }

    /// <summary>
    /// Follows a value written into the storage of <paramref name="buffer"/> by a call that fills its argument
    /// (<c>NextBytes(buffer)</c>): the buffer's holder (<see cref="RootSymbol"/>) is the first destination.
    /// </summary>
    public static string? IntoBuffer(IOperation buffer, ISymbol? owner, System.Func<ForwardDestination, ForwardVerdict> judge, CancellationToken cancellationToken)
    {
        if (RootSymbol(buffer) is not { } holder)
        {
            return null;
        }

        var walk = new Walk(buffer, owner, judge, cancellationToken);
        return walk.Hold(holder, SymbolType(holder), buffer) ?? walk.Run();
    }

    /// <summary>
    /// The local, parameter, field or property whose storage <paramref name="operation"/> is, through conversions and
    /// views of the same storage (<c>AsSpan</c>, <c>AsMemory</c>, <c>Slice</c>): writing into the view writes into it.
    /// Copies (<c>ToArray</c>) are not views; <see cref="HardCodedValues"/> follows them back because a copy has the
    /// same value, which is another question.
    /// </summary>
    public static ISymbol? RootSymbol(IOperation operation)
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

    /// <summary>The type of a local, field, parameter or property.</summary>
    public static ITypeSymbol? SymbolType(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IFieldSymbol field => field.Type,
        IParameterSymbol parameter => parameter.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    /// <summary>
    /// Binary operators whose result carries each operand's value: arithmetic, bitwise, shifts, concatenation.
    /// Comparisons are not among them. (<see cref="HardCodedValues"/> needs only string concatenation: the compiler
    /// folds arithmetic on constants into a constant already.)
    /// </summary>
    public static bool IsValuePreserving(BinaryOperatorKind kind) => kind is
        BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or
        BinaryOperatorKind.Remainder or BinaryOperatorKind.And or BinaryOperatorKind.Or or BinaryOperatorKind.ExclusiveOr or
        BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift or
        BinaryOperatorKind.Concatenate;

    /// <summary>
    /// Framework calls that carry a value, as receiver or argument, into their result: formatting, string and array
    /// building, encoding, LINQ projections, rounding and numeric conversions. Ordering, filtering, comparing and timing
    /// calls are not among them. <see cref="HardCodedValues"/> keeps its own, shorter list on purpose: a value is fixed
    /// only when every input of the call is, so it names which input each call is made from, and it counts hashing a
    /// literal (fixed) where this list leaves hashing out.
    /// </summary>
    public static bool CarriesValue(IMethodSymbol method)
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

    /// <summary>One forward query: the queue of values to follow, the body's reads and the budget.</summary>
    private sealed class Walk
    {
        private readonly Queue<IOperation> _queue = new();
        private readonly FlowBudget _budget = new();

        /// <summary>
        /// The bodies the walk is in, by their outermost operation (the starting member's, and those it entered): their
        /// reads, the member each belongs to, and the call the walk entered it from.
        /// </summary>
        private readonly Dictionary<IOperation, Body> _bodies = new();
        private readonly System.Func<ForwardDestination, ForwardVerdict> _judge;
        private readonly CancellationToken _cancellationToken;

        public Walk(IOperation start, ISymbol? owner, System.Func<ForwardDestination, ForwardVerdict> judge, CancellationToken cancellationToken)
        {
            var root = CryptoSymbols.Root(start);
            _bodies.Add(root, (SymbolReferences.For(root), owner, null));
            _judge = judge;
            _cancellationToken = cancellationToken;
        }

        public void Enqueue(IOperation value) => _queue.Enqueue(value);

        public string? Run()
        {
            while (_queue.Count > 0)
            {
                if (!_budget.Step())
                {
                    return null;
                }

                _cancellationToken.ThrowIfCancellationRequested();
                if (Next(_queue.Dequeue()) is { } sink)
                {
                    return sink;
                }
            }

            return null;
        }

        /// <summary>
        /// A holder of the value, in the body <paramref name="at"/> is in: judged once, then (when followed) every read of
        /// it in that body and, for a field, in the other members of its type in the same file.
        /// </summary>
        public string? Hold(ISymbol symbol, ITypeSymbol? type, IOperation at)
        {
            if (!_budget.Enter(symbol))
            {
                return null;
            }

            var verdict = _judge(ForwardDestination.Holder(symbol, type));
            if (verdict.Follows)
            {
                var root = CryptoSymbols.Root(at);
                foreach (var reference in BodyOf(root).References.Of(symbol))
                {
                    _queue.Enqueue(reference);
                }

                if (symbol is IFieldSymbol { IsConst: false } field)
                {
                    ReadersElsewhere(field, root);
                }
            }

            return verdict.Sink;
        }

        /// <summary>The body with this outermost operation; one the walk did not enter (not expected) has no owner.</summary>
        private Body BodyOf(IOperation root) => Enter(root, null, null);

        /// <summary>
        /// The reads of <paramref name="field"/> in the methods, constructors and accessors of its type declared in the
        /// file being walked, other than <paramref name="here"/>: only members whose text names the field are bound.
        /// </summary>
        private void ReadersElsewhere(IFieldSymbol field, IOperation here)
        {
            if (here.SemanticModel is not { } model || field.ContainingType is not { } type)
            {
                return;
            }

            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree != model.SyntaxTree || reference.GetSyntax(_cancellationToken) is not TypeDeclarationSyntax declaration)
                {
                    continue;
                }

                foreach (var member in declaration.Members)
                {
                    if (!Names(member, field.Name))
                    {
                        continue;
                    }

                    foreach (var (node, owner) in BodiesOf(member, model))
                    {
                        if (node == here.Syntax || model.GetOperation(node, _cancellationToken) is not { } body)
                        {
                            continue;
                        }

                        foreach (var read in Enter(body, owner, null).References.Of(field))
                        {
                            _queue.Enqueue(read);
                        }
                    }
                }
            }
        }

        private static bool Names(SyntaxNode node, string name)
        {
            foreach (var token in node.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The bodies of a member declaration with the method each belongs to: a method or constructor, each accessor, an expression-bodied property.</summary>
        private IEnumerable<(SyntaxNode Node, ISymbol? Owner)> BodiesOf(MemberDeclarationSyntax member, SemanticModel model)
        {
            switch (member)
            {
                case BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null:
                    yield return (method, model.GetDeclaredSymbol(method, _cancellationToken));
                    break;
                case BasePropertyDeclarationSyntax property when property.AccessorList is { } accessors:
                    foreach (var accessor in accessors.Accessors)
                    {
                        if (accessor.Body is not null || accessor.ExpressionBody is not null)
                        {
                            yield return (accessor, model.GetDeclaredSymbol(accessor, _cancellationToken));
                        }
                    }

                    break;
                case PropertyDeclarationSyntax { ExpressionBody: { } arrow } property:
                    yield return (arrow, model.GetDeclaredSymbol(property, _cancellationToken)?.GetMethod);
                    break;
            }
        }

        private Body Enter(IOperation root, ISymbol? owner, IInvocationOperation? call)
        {
            if (!_bodies.TryGetValue(root, out var body))
            {
                body = (SymbolReferences.For(root), owner, call);
                _bodies.Add(root, body);
            }

            return body;
        }

        /// <summary>
        /// Into an ordinary method declared in the file being walked, through the parameter <paramref name="argument"/>
        /// is passed to; its result comes back to <paramref name="invocation"/>.
        /// </summary>
        private string? IntoCallee(IInvocationOperation invocation, IArgumentOperation argument)
        {
            var callee = invocation.TargetMethod.OriginalDefinition;
            if (callee.MethodKind != MethodKind.Ordinary || argument.Parameter is not { } parameter || parameter.Ordinal >= callee.Parameters.Length ||
                callee.Parameters[parameter.Ordinal] is not { RefKind: RefKind.None } calleeParameter || invocation.SemanticModel is not { } model)
            {
                return null;
            }

            foreach (var reference in callee.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree != model.SyntaxTree ||
                    reference.GetSyntax(_cancellationToken) is not MethodDeclarationSyntax declaration ||
                    (declaration.Body is null && declaration.ExpressionBody is null) ||
                    model.GetOperation(declaration, _cancellationToken) is not { } body)
                {
                    continue;
                }

                Enter(body, callee, invocation);
                return Hold(calleeParameter, calleeParameter.Type, body);
            }

            return null;
        }

        /// <summary>One step from <paramref name="value"/> to the operation that uses it.</summary>
        private string? Next(IOperation value)
        {
            var parent = value.Parent;
            switch (parent)
            {
                case null:
                    return null;
                case IConversionOperation:
                case ICoalesceOperation:
                case IInterpolationOperation:
                case IArrayInitializerOperation:
                case IInterpolatedStringContentOperation or IInterpolatedStringOperation:
                case IArrayCreationOperation creation when creation.Initializer == value:
                case IBinaryOperation binary when IsValuePreserving(binary.OperatorKind):
                case IConditionalOperation conditional when conditional.Condition != value:
                // alphabet[rng.Next(n)] picks an element by the value; bytes[i] is an element of it.
                case IArrayElementReferenceOperation:
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Instance == value:
                    _queue.Enqueue(parent);
                    return null;
                case IInvocationOperation invocation when invocation.Instance == value:
                    if (CarriesValue(invocation.TargetMethod))
                    {
                        _queue.Enqueue(invocation);
                    }
                    else if (invocation.TargetMethod.Name == "CopyTo" && invocation.Arguments.Length > 0 &&
                             RootSymbol(invocation.Arguments[0].Value) is { } copyTarget)
                    {
                        return Hold(copyTarget, SymbolType(copyTarget), invocation);
                    }

                    return null;
                case IArgumentOperation argument:
                    return Argument(argument);
                case IReturnOperation:
                    return Returned(parent);
                case ISimpleAssignmentOperation assignment when assignment.Value == value:
                    return Assigned(assignment.Target);
                case ICompoundAssignmentOperation compound when compound.Value == value && IsValuePreserving(compound.OperatorKind):
                    return Assigned(compound.Target);
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return Hold(declarator.Symbol, declarator.Symbol.Type, declarator);
                case IFieldInitializerOperation fieldInitializer:
                    return Initialized(fieldInitializer.InitializedFields.Select(f => ((ISymbol)f, f.Type)), fieldInitializer);
                case IPropertyInitializerOperation propertyInitializer:
                    return Initialized(propertyInitializer.InitializedProperties.Select(p => ((ISymbol)p, p.Type)), propertyInitializer);
                default:
                    return null;
            }
        }

        /// <summary>The fields or properties an initializer sets: each is judged as a member, the first sink ends the query.</summary>
        private string? Initialized(IEnumerable<(ISymbol Member, ITypeSymbol Type)> members, IOperation initializer)
        {
            foreach (var (member, type) in members)
            {
                if (_judge(ForwardDestination.Member(member, type, initializer)).Sink is { } sink)
                {
                    return sink;
                }
            }

            return null;
        }

        private string? Assigned(IOperation target)
        {
            target = CryptoSymbols.SkipConversions(target);
            switch (target)
            {
                case IPropertyReferenceOperation { Property.IsIndexer: false } property:
                    return _judge(ForwardDestination.Member(property.Property, property.Type, property)).Sink;
                case ILocalReferenceOperation or IFieldReferenceOperation or IParameterReferenceOperation:
                    return RootSymbol(target) is { } symbol ? Hold(symbol, target.Type, target) : null;
                case IArrayElementReferenceOperation element:
                    return RootSymbol(element.ArrayReference) is { } array ? Hold(array, element.ArrayReference.Type, element) : null;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                    return RootSymbol(instance) is { } collection ? Hold(collection, instance.Type, instance) : null;
                default:
                    return null;
            }
        }

        private string? Argument(IArgumentOperation argument)
        {
            switch (argument.Parent)
            {
                case IInvocationOperation invocation:
                    var verdict = _judge(ForwardDestination.Argument(argument, invocation));
                    if (!verdict.Follows)
                    {
                        return verdict.Sink;
                    }

                    var method = invocation.TargetMethod;
                    if (method.Name is "Append" or "AppendLine" or "AppendFormat" or "Insert" or "Add" or "AddRange" &&
                        invocation.Instance is { } receiver)
                    {
                        if (RootSymbol(receiver) is { } builder && Hold(builder, receiver.Type, receiver) is { } built)
                        {
                            return built;
                        }

                        _queue.Enqueue(invocation);
                        return null;
                    }

                    if (method.Name is "Copy" or "BlockCopy" or "ConstrainedCopy" &&
                        method.ContainingType?.Name is "Array" or "Buffer" && argument.Parameter?.Ordinal == 0)
                    {
                        foreach (var other in invocation.Arguments)
                        {
                            if (other != argument && CryptoSymbols.SkipConversions(other.Value).Type is IArrayTypeSymbol destinationType &&
                                RootSymbol(other.Value) is { } destination && Hold(destination, destinationType, other) is { } copied)
                            {
                                return copied;
                            }
                        }

                        return null;
                    }

                    if (CarriesValue(method))
                    {
                        _queue.Enqueue(invocation);
                        return null;
                    }

                    return IntoCallee(invocation, argument);
                case IObjectCreationOperation { Constructor: not null } creation:
                    var creationVerdict = _judge(ForwardDestination.Argument(argument, creation));
                    if (creationVerdict.Follows &&
                        (creation.Type?.SpecialType == SpecialType.System_String || TypeNames.Is(creation.Type, "System.Text", "StringBuilder")))
                    {
                        _queue.Enqueue(creation);
                    }

                    return creationVerdict.Sink;
                case IPropertyReferenceOperation { Property.IsIndexer: true } indexer:
                    _queue.Enqueue(indexer);
                    return null;
                default:
                    return null;
            }
        }

        private string? Returned(IOperation returned)
        {
            for (var current = returned.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation lambda)
                {
                    var use = lambda.Parent;
                    while (use is IDelegateCreationOperation or IConversionOperation)
                    {
                        use = use.Parent;
                    }

                    var call = use is IArgumentOperation { Parent: IInvocationOperation invocation } ? invocation : null;
                    var verdict = _judge(ForwardDestination.LambdaResult(lambda, call));
                    if (verdict.Follows && call is not null)
                    {
                        _queue.Enqueue(call);
                    }

                    return verdict.Sink;
                }

                if (current is ILocalFunctionOperation localFunction)
                {
                    return _judge(ForwardDestination.Result(localFunction.Symbol, returned, null)).Sink;
                }
            }

            var body = BodyOf(CryptoSymbols.Root(returned));
            if (body.Owner is null)
            {
                return null;
            }

            var result = _judge(ForwardDestination.Result(body.Owner, returned, body.Call));
            if (result.Follows && body.Call is not null)
            {
                _queue.Enqueue(body.Call);
            }

            return result.Sink;
        }
    }
}

/// <summary>
/// The operations of one body by the symbol they concern, built once per body: the per-body indexes of the value flow,
/// what is written into each local (<see cref="Phi.LocalAssignments"/>, backward) and where each symbol is read
/// (<see cref="SymbolReferences"/>, forward).
/// </summary>
internal abstract class SymbolIndex<TSymbol>
    where TSymbol : class, ISymbol
{
    private readonly Dictionary<TSymbol, List<IOperation>> _operations = new(SymbolEqualityComparer.Default);

    /// <summary>The operations recorded for <paramref name="symbol"/>, in the body's order.</summary>
    public IReadOnlyList<IOperation> Of(TSymbol symbol) =>
        _operations.TryGetValue(symbol, out var list) ? list : (IReadOnlyList<IOperation>)System.Array.Empty<IOperation>();

    protected void Add(TSymbol symbol, IOperation operation)
    {
        if (!_operations.TryGetValue(symbol, out var list))
        {
            list = new List<IOperation>(1);
            _operations.Add(symbol, list);
        }

        list.Add(operation);
    }
}

/// <summary>The operations of one body that read each local, parameter, field and property; built once per body.</summary>
internal sealed class SymbolReferences : SymbolIndex<ISymbol>
{
    private static readonly BodyCache.Slot<SymbolReferences> Slot = BodyCache.NewSlot<SymbolReferences>();

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
            if (symbol is not null && !IsWrite(operation))
            {
                Add(symbol, operation);
            }
        }
    }

    /// <summary>The index of the body <paramref name="root"/> is the outermost operation of.</summary>
    public static SymbolReferences For(IOperation root) => BodyCache.For(root).Get(Slot, r => new SymbolReferences(r));

    private static bool IsWrite(IOperation operation) =>
        operation.Parent is IAssignmentOperation assignment && assignment.Target == operation &&
        assignment is not ICompoundAssignmentOperation;
}
