using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Phi;

/// <summary>The evidence that makes a member PHI.</summary>
public enum PhiEvidence
{
    /// <summary>The member carries <c>[Phi]</c>, a data classification or <c>[PersonalData]</c>.</summary>
    Attribute,

    /// <summary>The member belongs to a type marked <c>[Phi]</c>.</summary>
    TypeAttribute,

    /// <summary>The member's name matches a PHI name (a Safe Harbor identifier or clinical data).</summary>
    Name,

    /// <summary>A type with a PHI member: formatting or serializing it whole writes that member.</summary>
    CarriesPhi,

    /// <summary>The member holds a FHIR resource about a person (or a resource, bundle or list that may be one).</summary>
    FhirResource,
}

/// <summary>What a PHI inventory entry is.</summary>
public enum PhiMemberKind
{
    Field,
    Property,
    Parameter,
    Type,
}

/// <summary>One member (or type) that the analyzers treat as PHI, and why.</summary>
public sealed class PhiInventoryEntry
{
    internal PhiInventoryEntry(ISymbol symbol, PhiMemberKind kind, string member, string valueType, string reason, PhiEvidence evidence)
    {
        Symbol = symbol;
        Kind = kind;
        Member = member;
        ValueType = valueType;
        Reason = reason;
        Evidence = evidence;
        Location = symbol.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
    }

    public ISymbol Symbol { get; }

    public PhiMemberKind Kind { get; }

    /// <summary>"Patient.Ssn", "PatientEndpoints.SearchBySsn(ssn)", or the type name for <see cref="PhiMemberKind.Type"/>.</summary>
    public string Member { get; }

    /// <summary>The member's type as written ("string", "DateOnly?"), or the kind of type ("record", "class").</summary>
    public string ValueType { get; }

    /// <summary>The PHI model's reason: "[Phi]", "name: social security number", "carries Patient.Ssn (name: ...)".</summary>
    public string Reason { get; }

    public PhiEvidence Evidence { get; }

    public Location Location { get; }

    public override string ToString() => Member + " (" + Reason + ")";
}

/// <summary>
/// Lists what the PHI model of one compilation treats as PHI: every source field, property and parameter it classifies
/// as PHI, and every type that carries PHI, with the model's reasons. The same model the rules use decides, with the
/// options (<c>hipaa_analyzers.*</c>) that apply to the file that declares each member.
/// </summary>
public sealed class PhiInventory
{
    private readonly Compilation _compilation;
    private readonly AnalyzerOptions _options;
    private readonly PhiCompilationContext _context;

    private PhiInventory(Compilation compilation, AnalyzerOptions options)
    {
        _compilation = compilation;
        _options = options;
        _context = PhiCompilationContext.For(compilation);
    }

    public static PhiInventory Create(Compilation compilation, AnalyzerOptions options) => new(compilation, options);

    /// <summary>Every PHI field, property and parameter declared in source, and every type that carries PHI, in source order.</summary>
    public ImmutableArray<PhiInventoryEntry> CollectMembers(CancellationToken cancellationToken)
    {
        var entries = new List<PhiInventoryEntry>();
        foreach (var type in SourceTypes.Of(_compilation, cancellationToken))
        {
            if (ModelFor(type) is not { } typeModel)
            {
                continue;
            }

            if (type.TypeKind is TypeKind.Class or TypeKind.Struct && typeModel.GetCarriedPhi(type) is { } carried)
            {
                entries.Add(new PhiInventoryEntry(
                    type, PhiMemberKind.Type, type.Name, type.IsRecord ? "record" : type.TypeKind == TypeKind.Struct ? "struct" : "class",
                    "carries " + carried, PhiEvidence.CarriesPhi));
            }

            foreach (var member in type.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member.IsImplicitlyDeclared)
                {
                    continue;
                }

                switch (member)
                {
                    case IFieldSymbol field:
                        Add(entries, field, PhiMemberKind.Field, type.Name + "." + field.Name, field.Type);
                        break;
                    case IPropertySymbol { IsIndexer: false } property:
                        Add(entries, property, PhiMemberKind.Property, type.Name + "." + property.Name, property.Type);
                        break;
                    case IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.Constructor } method:
                        foreach (var parameter in method.Parameters)
                        {
                            // A positional record's parameter is listed as its property.
                            if (method.MethodKind == MethodKind.Constructor &&
                                type.GetMembers(parameter.Name).Any(m => m is IPropertySymbol && !m.IsImplicitlyDeclared))
                            {
                                continue;
                            }

                            var name = method.MethodKind == MethodKind.Constructor ? type.Name : type.Name + "." + method.Name;
                            Add(entries, parameter, PhiMemberKind.Parameter, name + "(" + parameter.Name + ")", parameter.Type);
                        }

                        break;
                }
            }
        }

        return entries
            .OrderBy(e => e.Location.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(e => e.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    /// <summary>
    /// The PHI an endpoint handler takes or returns: "takes ssn (name: social security number)", "returns PatientSummary
    /// (carries PatientSummary.MedicalRecordNumber (name: medical record number))". Empty when the model sees none.
    /// Services injected into the handler do not count: <paramref name="isService"/> names the types registered in
    /// dependency injection (see <c>AppConventions.IsService</c>); types named like services never count.
    /// </summary>
    public ImmutableArray<string> DescribeHandledPhi(IMethodSymbol handler, Func<ITypeSymbol, bool>? isService, CancellationToken cancellationToken) =>
        HandledPhi(handler, isService, cancellationToken).Distinct(StringComparer.Ordinal).ToImmutableArray();

    /// <summary>
    /// The first of <see cref="DescribeHandledPhi"/>, or null: a handler that takes PHI is not read for what it returns.
    /// </summary>
    public string? DescribeFirstHandledPhi(IMethodSymbol handler, Func<ITypeSymbol, bool>? isService, CancellationToken cancellationToken) =>
        HandledPhi(handler, isService, cancellationToken).FirstOrDefault();

    /// <summary>The descriptions of <see cref="DescribeHandledPhi"/> in order, each made only when asked for.</summary>
    private IEnumerable<string> HandledPhi(IMethodSymbol handler, Func<ITypeSymbol, bool>? isService, CancellationToken cancellationToken)
    {
        var model = ModelFor(handler);
        if (model is null)
        {
            yield break;
        }

        foreach (var parameter in handler.Parameters)
        {
            if (IsInjected(parameter) || isService?.Invoke(parameter.Type) == true)
            {
                continue;
            }

            if (model.ClassifySymbol(parameter) is { } reason)
            {
                yield return "takes " + parameter.Name + " (" + reason.Why + ")";
            }
            else if (CarriedByData(model, parameter.Type, 0) is { } carried)
            {
                yield return "takes " + parameter.Type.Name + " (carries " + carried + ")";
            }
        }

        if (model.ClassifyReturn(handler) is { } returned)
        {
            yield return "returns " + returned;
        }
        else if (CarriedByData(model, handler.ReturnType, 0) is { } carried)
        {
            yield return "returns " + DataTypeName(handler.ReturnType) + " (carries " + carried + ")";
        }
        else
        {
            // IResult, IActionResult, object: what the body hands to Results.Ok(...), Ok(...) or returns.
            foreach (var (type, value, body) in ReturnedValues(handler, cancellationToken))
            {
                // The empty form a GET shows: View(new PatientRegisterViewModel()), or a local that holds one.
                if (IsMadeUp(value) || (value is ILocalReferenceOperation local && IsMadeUpLocal(local, body)))
                {
                    continue;
                }

                if (CarriedByData(model, type, 0) is { } fromBody)
                {
                    yield return "returns " + DataTypeName(type) + " (carries " + fromBody + ")";
                    yield break;
                }

                if (value is IMemberReferenceOperation or IParameterReferenceOperation or ILocalReferenceOperation &&
                    ReferencedSymbol(value) is { } symbol && model.ClassifySymbol(symbol) is { } valueReason)
                {
                    yield return "returns " + valueReason;
                    yield break;
                }
            }
        }
    }

    /// <summary>
    /// The PHI in the records an Entity Framework Core access loads or changes, judged under the options of the file
    /// that declares <paramref name="context"/> (the handler): "carries Appointment.Patient > Patient.Name (name: person
    /// name)" for the entity, or for what a <c>Select</c> makes of each row ("selects PatientListItem.Name (...)",
    /// "selects Patient.Email (name: email address)", "selects Name (...)" for <c>new { p.Name }</c>). Null when the
    /// rows carry none: an entity of no one's data (<c>Department</c>), a projection to ids and dates
    /// (<c>new { p.Id, p.CreatedAt }</c>).
    /// </summary>
    internal string? DescribeRecordPhi(ISymbol context, Persistence.RecordAccess access)
    {
        if (ModelFor(context) is not { } model)
        {
            return null;
        }

        if (access.Selected is { } selected && model.ClassifyMemberOf(selected, access.SelectedFrom) is { } member)
        {
            return "selects " + member;
        }

        // What a Select makes of each row is what the code gets: new { p.Name, p.Dob } selects the name.
        bool projected = !SymbolEqualityComparer.Default.Equals(access.Shape.OriginalDefinition, access.Entity.OriginalDefinition);
        if (projected)
        {
            return model.GetCarriedPhi(access.Shape) is { } selectedPhi ? "selects " + selectedPhi.ToChain() : null;
        }

        // A loaded entity holds its own columns (and owned values) and the navigations the query includes.
        if (model.GetColumnPhi(access.Entity) is { } columns)
        {
            return "carries " + columns.ToChain();
        }

        foreach (var navigation in access.Includes)
        {
            if (model.GetCarriedPhi(navigation switch { IPropertySymbol p => p.Type, IFieldSymbol f => f.Type, _ => null }) is { } included)
            {
                return "carries " + PhiReason.Carrying(access.Entity.Name + "." + navigation.Name, included).ToChain();
            }
        }

        return model.GetPatientLink(access.Entity) is { } link ? "carries " + link.ToChain() : null;
    }

    /// <summary>
    /// The route values of <paramref name="route"/> named like PHI ("{ssn}", "{mrn:int}"), under the options of
    /// <paramref name="tree"/>: "takes route value {ssn} (name: social security number)".
    /// </summary>
    public ImmutableArray<string> DescribeRouteValues(string route, SyntaxTree tree)
    {
        var result = ImmutableArray.CreateBuilder<string>();
        var model = _context.GetModel(_options, tree);
        foreach (var name in HttpValues.RouteValueNames(route))
        {
            if (model.ClassifyRouteValue(name) is { } reason)
            {
                result.Add("takes route value " + reason.What + " (" + reason.Why + ")");
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The PHI a Razor Pages page model shows or binds: its public properties that are PHI or carry PHI
    /// ("shows Patient (carries Patient.Ssn (...))"). Empty when the model sees none.
    /// </summary>
    public ImmutableArray<string> DescribePageModelPhi(INamedTypeSymbol pageModel) =>
        PageModelPhi(pageModel).Select(p => p.Description).ToImmutableArray();

    /// <summary>The public properties of a page model that are PHI or carry PHI, each with its description.</summary>
    internal ImmutableArray<(IPropertySymbol Property, string Description)> PageModelPhi(INamedTypeSymbol pageModel)
    {
        var result = ImmutableArray.CreateBuilder<(IPropertySymbol, string)>();
        for (var type = pageModel; type is not null && CodeOrigin.IsDeclaredIn(type, _compilation); type = type.BaseType)
        {
            var model = ModelFor(type);
            if (model is null)
            {
                break;
            }

            foreach (var member in type.GetMembers())
            {
                if (member is not IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public } property ||
                    property.IsImplicitlyDeclared)
                {
                    continue;
                }

                if (model.ClassifySymbol(property) is { } reason)
                {
                    result.Add((property, "shows " + property.Name + " (" + reason.Why + ")"));
                }
                else if (CarriedByData(model, property.Type, 0) is { } carried)
                {
                    result.Add((property, "shows " + DataTypeName(property.Type) + " (carries " + carried + ")"));
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// A value that holds no patient's data because the code makes it up on the spot: a constant, <c>default</c>,
    /// <c>DateTime.Today</c>-style values of the framework (and what framework methods compute from them, such as
    /// <c>DateTime.Today.AddDays(1)</c> or <c>Guid.NewGuid()</c>), an empty collection, or an object created here
    /// whose constructor arguments are such values and whose initializer sets PHI members only to such values
    /// (<c>new PatientRegisterViewModel()</c>, <c>new BookAppointmentViewModel { Doctors = doctors, AppointmentDate =
    /// DateTime.Today.AddDays(1) }</c>): the empty form a GET shows. <c>new PatientViewModel { Name = patient.Name }</c>
    /// holds data.
    /// </summary>
    internal bool IsMadeUp(IOperation value) => IsMadeUp(value, 0);

    private bool IsMadeUp(IOperation? value, int depth)
    {
        value = value is null ? null : UnwrapAll(value);
        if (value is null || depth > 4)
        {
            return false;
        }

        if (value.ConstantValue.HasValue || value is IDefaultValueOperation or ILiteralOperation)
        {
            return true;
        }

        switch (value)
        {
            case IObjectCreationOperation creation:
                return creation.Arguments.All(a => IsMadeUp(a.Value, depth + 1)) &&
                       (creation.Initializer is null || creation.Initializer.Initializers.All(i => IsMadeUpInitializer(i, depth + 1)));
            case IArrayCreationOperation array:
                return array.DimensionSizes.All(d => IsMadeUp(d, depth + 1)) &&
                       (array.Initializer is null || array.Initializer.ElementValues.All(e => IsMadeUp(e, depth + 1)));
            case IPropertyReferenceOperation or IFieldReferenceOperation:
                var member = ((IMemberReferenceOperation)value).Member;
                var instance = ((IMemberReferenceOperation)value).Instance;
                return IsSystemMember(member) && (instance is null ? member.IsStatic : IsMadeUp(instance, depth + 1));
            case IInvocationOperation invocation:
                return IsSystemMember(invocation.TargetMethod) &&
                       (invocation.Instance is null || IsMadeUp(invocation.Instance, depth + 1)) &&
                       invocation.Arguments.All(a => IsMadeUp(a.Value, depth + 1));
        }

        return false;
    }

    /// <summary>One entry of an object initializer: a member set to a made-up value, or a member that is not PHI.</summary>
    private bool IsMadeUpInitializer(IOperation initializer, int depth)
    {
        switch (initializer)
        {
            case IAssignmentOperation { Target: IMemberReferenceOperation target } assignment:
                return IsMadeUp(assignment.Value, depth) || !IsPhiMember(target.Member);
            case IMemberInitializerOperation { InitializedMember: IMemberReferenceOperation nested } memberInitializer:
                return !IsPhiMember(nested.Member) || memberInitializer.Initializer.Initializers.All(i => IsMadeUpInitializer(i, depth + 1));
            case IInvocationOperation add:
                // A collection initializer's Add(...).
                return add.Arguments.All(a => IsMadeUp(a.Value, depth));
            default:
                return false;
        }
    }

    /// <summary>A field or property that is PHI or carries PHI, by the options of the file that declares it.</summary>
    private bool IsPhiMember(ISymbol member)
    {
        var type = member switch
        {
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        };
        if (type is null || ModelFor(member) is not { } model)
        {
            // A member the model cannot judge (declared in a library, an event) counts as PHI.
            return member is IPropertySymbol or IFieldSymbol && !CodeOrigin.IsTeamCode(member, _compilation);
        }

        return model.ClassifySymbol(member) is not null || CarriedByData(model, type, 0) is not null;
    }

    /// <summary>
    /// A member of a framework type of the System namespace or its collections and LINQ (<c>DateTime.Today</c>,
    /// <c>Guid.NewGuid()</c>, <c>Enumerable.Empty&lt;T&gt;()</c>), not of one that reads files, the environment or the network.
    /// </summary>
    private bool IsSystemMember(ISymbol member) =>
        member.ContainingType is { } type && !CodeOrigin.IsTeamCode(type, _compilation) &&
        (Infrastructure.TypeNames.IsInNamespace(type.ContainingNamespace, "System") ||
         Infrastructure.TypeNames.IsInNamespace(type.ContainingNamespace, "System.Linq") ||
         Infrastructure.TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "System.Collections")) &&
        type.Name is not ("Environment" or "Console" or "AppDomain" or "Activator");

    /// <summary>
    /// A local whose every value is made up (<see cref="IsMadeUp(IOperation)"/>), that the body does not hand to a
    /// call or call a method on, and whose PHI members it does not set from data: <c>var model = new
    /// RegisterViewModel(); return View(model);</c>.
    /// </summary>
    private bool IsMadeUpLocal(ILocalReferenceOperation reference, IOperation body)
    {
        var values = LocalAssignments.For(reference).ValuesOf(reference.Local);
        if (values.Count == 0 || !values.All(IsMadeUp))
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is not ILocalReferenceOperation use || !SymbolEqualityComparer.Default.Equals(use.Local, reference.Local))
            {
                continue;
            }

            var parent = UpThroughConversions(use).Parent;
            switch (parent)
            {
                case IArgumentOperation { Parent: IInvocationOperation call } when IsResultFactory(call.TargetMethod):
                case IReturnOperation:
                case IVariableDeclaratorOperation:
                case IAssignmentOperation assigned when assigned.Target == use:
                    continue;
                case IMemberReferenceOperation { Parent: IAssignmentOperation memberAssignment } member
                    when memberAssignment.Target == member && member.Member is not IMethodSymbol:
                    if (!IsMadeUp(memberAssignment.Value) && IsPhiMember(member.Member))
                    {
                        return false;
                    }

                    continue;
                case IMemberReferenceOperation { Member: IPropertySymbol or IFieldSymbol } read:
                    // A member read or changed in place: model.Doctors.Add(...) is fine, model.Visits.Add(visit) is not.
                    if (IsPhiMember(read.Member))
                    {
                        return false;
                    }

                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    private static IOperation UpThroughConversions(IOperation operation)
    {
        while (operation.Parent is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static bool IsResultFactory(IMethodSymbol method) =>
        method.ContainingType?.Name is "Results" or "TypedResults" or "ControllerBase" or "Controller" or "PageModel";

    private void Add(List<PhiInventoryEntry> entries, ISymbol symbol, PhiMemberKind kind, string member, ITypeSymbol valueType)
    {
        var model = ModelFor(symbol);
        if (model?.ClassifySymbol(symbol) is not { } reason)
        {
            // A Patient, an Observation, a Bundle or a list of them: the value is the health record itself.
            var held = model is null ? null : PhiModel.GetElementType(valueType) ?? valueType;
            if (FhirModel.ResourceReason(held) is { } fhir)
            {
                entries.Add(new PhiInventoryEntry(
                    symbol, kind, member, valueType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), fhir, PhiEvidence.FhirResource));
            }

            return;
        }

        // The model's reasons say which attribute or which name; a member of a [Phi] type says so too.
        var evidence = reason.ByName ? PhiEvidence.Name
            : reason.Why.StartsWith("member of ", StringComparison.Ordinal) ? PhiEvidence.TypeAttribute
            : PhiEvidence.Attribute;
        entries.Add(new PhiInventoryEntry(
            symbol, kind, member, valueType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), reason.Why, evidence));
    }

    /// <summary>
    /// The model for a symbol of this compilation is that of the file that declares it; a symbol of one of the team's
    /// referenced projects is judged by this project's options (its first file's), the same whether that project is
    /// source in the IDE or a reference assembly in a build.
    /// </summary>
    private PhiModel? ModelFor(ISymbol symbol)
    {
        var tree = CodeOrigin.IsDeclaredIn(symbol, _compilation)
            ? symbol.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree
            : CodeOrigin.IsTeamCode(symbol, _compilation) ? _compilation.SyntaxTrees.FirstOrDefault() : null;
        return tree is null ? null : _context.GetModel(_options, tree);
    }

    private static bool IsInjected(IParameterSymbol parameter)
    {
        if (parameter.GetAttributes().Any(a => a.AttributeClass?.Name is "FromServicesAttribute" or "FromKeyedServicesAttribute"))
        {
            return true;
        }

        var type = parameter.Type;
        return type.TypeKind is TypeKind.Interface or TypeKind.Delegate || type.IsAbstract || PhiModel.NamesService(type.Name) ||
               type.Name is "CancellationToken" or "HttpContext" or "HttpRequest" or "HttpResponse" or "ClaimsPrincipal";
    }

    /// <summary>The PHI a value of this type carries, looking through Task, ActionResult, Ok&lt;T&gt;, Results&lt;...&gt; and collections.</summary>
    private static PhiReason? CarriedByData(PhiModel model, ITypeSymbol? type, int depth)
    {
        if (type is null || depth > 3 || PhiModel.NamesService(type.Name))
        {
            return null;
        }

        if (model.GetCarriedPhi(type) is { } carried)
        {
            return carried;
        }

        if (type is INamedTypeSymbol { IsGenericType: true } named && !model.IsUserCode(named))
        {
            foreach (var argument in named.TypeArguments)
            {
                if (CarriedByData(model, argument, depth + 1) is { } inner)
                {
                    return inner;
                }
            }
        }

        return null;
    }

    private string DataTypeName(ITypeSymbol type)
    {
        for (int depth = 0; depth < 4 && type is INamedTypeSymbol { IsGenericType: true } named && !CodeOrigin.IsTeamCode(named, _compilation) &&
                            named.TypeArguments.Length == 1; depth++)
        {
            type = named.TypeArguments[0];
        }

        return type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
    }

    /// <summary>
    /// Values a handler returns or hands to a result factory as its model or value (<c>Results.Ok(x)</c>,
    /// <c>TypedResults.Created(uri, x)</c>, <c>Ok(x)</c>, <c>View(model)</c>, <c>View("Name", model)</c>). A result with
    /// no model (<c>View()</c>, <c>View("Name")</c>, <c>RedirectToAction(...)</c>, <c>NoContent()</c>, <c>Ok()</c>)
    /// returns nothing, route values are not a response, and what a lambda or local function inside the handler
    /// returns (<c>Select(p =&gt; p.Doctor)</c>) is not what the handler returns.
    /// </summary>
    private IEnumerable<(ITypeSymbol Type, IOperation Value, IOperation Body)> ReturnedValues(IMethodSymbol handler, CancellationToken cancellationToken)
    {
        foreach (var reference in handler.DeclaringSyntaxReferences)
        {
            if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree))
            {
                continue;
            }

            var body = _compilation.GetSemanticModel(reference.SyntaxTree).GetOperation(reference.GetSyntax(cancellationToken), cancellationToken);
            if (body is null)
            {
                continue;
            }

            var pending = new Stack<(IOperation Operation, bool Nested)>();
            pending.Push((body, false));
            while (pending.Count > 0)
            {
                var (operation, nested) = pending.Pop();
                switch (operation)
                {
                    case IReturnOperation { ReturnedValue: { } returned } when !nested:
                        var value = Unwrap(returned is IAwaitOperation awaited ? awaited.Operation : returned);
                        if (value is IInvocationOperation helper && IsResultHelper(helper.TargetMethod))
                        {
                            // return HandleResult(result), result.ToActionResult(): the helper returns what it is given.
                            foreach (var given in HelperInputs(helper))
                            {
                                yield return (given.Type!, given, body);
                            }
                        }
                        else if (value.Type is { } returnedType && value is not IInvocationOperation)
                        {
                            yield return (returnedType, value, body);
                        }

                        break;
                    case IInvocationOperation invocation when invocation.TargetMethod.ContainingType?.Name is "Results" or "TypedResults" or "ControllerBase" or "Controller":
                        foreach (var argument in invocation.Arguments)
                        {
                            var argumentValue = Unwrap(argument.Value);
                            if (argument.Parameter?.Name is "value" or "model" or "data" or "error" &&
                                argumentValue.Type is { SpecialType: SpecialType.None } argumentType)
                            {
                                yield return (argumentType, argumentValue, body);
                            }
                        }

                        break;
                }

                bool inner = nested || (operation != body && operation is IAnonymousFunctionOperation or ILocalFunctionOperation);
                // Children pushed last to first, so they are read in source order.
                foreach (var child in operation.ChildOperations.Reverse())
                {
                    pending.Push((child, inner));
                }
            }
        }
    }

    /// <summary>
    /// A method of the application (not the framework's) that turns a service or mediator result into the endpoint's
    /// response: it returns <c>IActionResult</c>, <c>ActionResult</c>, <c>ActionResult&lt;T&gt;</c> or <c>IResult</c>
    /// (also in a task), like <c>HandleResult(result)</c> or <c>result.ToActionResult()</c>.
    /// </summary>
    private static bool IsResultHelper(IMethodSymbol method)
    {
        var ns = method.ContainingNamespace?.ToDisplayString() ?? "";
        if (ns.StartsWith("Microsoft.", StringComparison.Ordinal) || ns.StartsWith("System", StringComparison.Ordinal))
        {
            return false;
        }

        var type = method.ReturnType;
        if (type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task)
        {
            type = task.TypeArguments[0];
        }

        if (type.Name is "IActionResult" or "ActionResult" or "IResult")
        {
            return true;
        }

        foreach (var implemented in Interfaces.Of(type))
        {
            if (implemented.Name is "IActionResult" or "IResult" or "IConvertToActionResult")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The values a result helper is given: its receiver and arguments that are data, not services or flags.</summary>
    private static IEnumerable<IOperation> HelperInputs(IInvocationOperation helper)
    {
        if (helper.Instance is { Type: { SpecialType: SpecialType.None } } instance && instance is not IInstanceReferenceOperation)
        {
            yield return Unwrap(instance);
        }

        foreach (var argument in helper.Arguments)
        {
            var value = Unwrap(argument.Value);
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && value.Type is { SpecialType: SpecialType.None, TypeKind: not (TypeKind.Enum or TypeKind.Delegate) })
            {
                yield return value;
            }
        }
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static IOperation UnwrapAll(IOperation operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
    {
        IMemberReferenceOperation member => member.Member,
        IParameterReferenceOperation parameter => parameter.Parameter,
        ILocalReferenceOperation local => local.Local,
        _ => null,
    };
}

/// <summary>The named types declared in a compilation's source, nested types included.</summary>
internal static class SourceTypes
{
    public static IEnumerable<INamedTypeSymbol> Of(Compilation compilation, CancellationToken cancellationToken)
    {
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = pending.Pop();
            if (current is INamespaceSymbol ns)
            {
                foreach (var member in ns.GetMembers())
                {
                    pending.Push(member);
                }

                continue;
            }

            var type = (INamedTypeSymbol)current;
            if (type.IsImplicitlyDeclared || !type.Locations.Any(l => l.IsInSource))
            {
                continue;
            }

            yield return type;
            foreach (var nested in type.GetTypeMembers())
            {
                pending.Push(nested);
            }
        }
    }
}
