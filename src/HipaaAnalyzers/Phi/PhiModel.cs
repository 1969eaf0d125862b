using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// What is PHI in one compilation under one set of options: members, parameters, locals, method results and types.
/// Every rule asks this model; results are cached per symbol, so each symbol is judged once per compilation.
/// </summary>
internal sealed class PhiModel
{
    private const int MaxTypeDepth = 4;

    private readonly SharedCache<ISymbol, Box> _symbols = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<ITypeSymbol, Box> _carrying = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<ITypeSymbol, Box> _destructured = new(SymbolEqualityComparer.Default);
    private LoggingMasks? _loggingMasks;
    private HashSet<INamedTypeSymbol>? _patientAccounts;
    private readonly SharedCache<ITypeSymbol, Box> _formattingLeaks = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<INamedTypeSymbol, bool> _weakNameContext = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<string, bool> _nonPatientNames = new(StringComparer.Ordinal);
    private readonly SharedCache<INamedTypeSymbol, bool> _patientLinks = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<INamedTypeSymbol, bool> _nonPatientTypes = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<IMethodSymbol, MethodSummary> _summaries = new(SymbolEqualityComparer.Default);
    private readonly SharedCache<string, NameMatch?> _names = new(StringComparer.Ordinal);

    public PhiModel(Compilation compilation, PhiOptions options)
    {
        Compilation = compilation;
        Options = options;
        Flow = new PhiFlow(this);
    }

    public Compilation Compilation { get; }
    public PhiOptions Options { get; }
    public PhiFlow Flow { get; }

    internal SharedCache<IMethodSymbol, MethodSummary> Summaries => _summaries;

    /// <summary>Is this field, property, parameter or local PHI, and why.</summary>
    public PhiReason? ClassifySymbol(ISymbol symbol) =>
        (_symbols.TryGetValue(symbol, out var known) ? known : _symbols.GetOrAdd(symbol, new Box(ComputeSymbol(symbol)))).Reason;

    /// <summary>
    /// Whether <see cref="ClassifyThroughPerson"/> could say yes for some owner: the member's own name is a PHI name
    /// the heuristics judge. A cheap test before looking for the members that own it.
    /// </summary>
    public bool MayBePhiThroughPerson(ISymbol member) =>
        Options.NameHeuristics && IsNameCandidate(member) && ValueTypeOf(member) is { } valueType && IsScalarData(valueType) &&
        MatchName(member.Name) is not null;

    /// <summary>
    /// A member reached through a person's member (patient.HomeAddress.Street): weak names count, because the
    /// Address belongs to a person here even if the Address type alone is not about anyone.
    /// </summary>
    public PhiReason? ClassifyThroughPerson(ISymbol member, ISymbol outerMember)
    {
        if (outerMember.ContainingType is not { } outer || !IsWeakNameContextType(outer) || !MayBePhiThroughPerson(member))
        {
            return null;
        }

        var match = MatchName(member.Name);
        return match is null ? null : new PhiReason(Describe(outerMember) + "." + member.Name, match.Describe(), byName: true, match.IdentifiesPerson);
    }

    /// <summary>
    /// A member read from a value of <paramref name="receiverType"/>: what <see cref="ClassifySymbol"/> says, judged for
    /// whose member it is. A name or birth date inherited from a Person base class is not PHI on a Doctor, and Identity's
    /// personal data inherited from IdentityUser is PHI on a patient's account.
    /// </summary>
    public PhiReason? ClassifyMemberOf(ISymbol member, ITypeSymbol? receiverType)
    {
        var reason = ClassifySymbol(member);
        if (reason is null && FhirModel.IsModelType(member.ContainingType))
        {
            return ClassifyFhirMember(member, receiverType ?? member.ContainingType);
        }

        if (receiverType is not INamedTypeSymbol receiver || member.ContainingType is not { } declaring ||
            SymbolEqualityComparer.Default.Equals(receiver.OriginalDefinition, declaring.OriginalDefinition))
        {
            return reason;
        }

        if (reason is not null)
        {
            return reason.IdentifiesPerson && IsNonPatientType(receiver) ? null : reason;
        }

        return IsPersonalDataOnly(member) && IsWeakNameContextType(receiver)
            ? new PhiReason(receiver.Name + "." + member.Name, PersonalDataWhy(member), identifiesPerson: true)
            : null;
    }

    /// <summary>Does the method's result count as PHI by attribute or name (not by flow; see <see cref="MethodSummary"/>).</summary>
    public PhiReason? ClassifyReturn(IMethodSymbol method) => ClassifySymbol(method);

    /// <summary>Does a value of this type carry PHI in one of its members (directly or nested), and which.</summary>
    public PhiReason? GetCarriedPhi(ITypeSymbol? type) => GetCarriedPhi(type, 0, destructuring: false);

    /// <summary>
    /// What a logging library writes when it destructures a value of this type (<c>{@Patient}</c>): the PHI it carries,
    /// leaving out the members the team masked (<see cref="LoggingMasks"/>).
    /// </summary>
    public PhiReason? GetDestructuredPhi(ITypeSymbol? type) => GetCarriedPhi(type, 0, destructuring: true);

    private LoggingMasks Masks =>
        System.Threading.LazyInitializer.EnsureInitialized(ref _loggingMasks, () => LoggingMasks.Collect(Compilation, default))!;

    /// <summary>
    /// The PHI an entity's row holds by itself: its own columns, inherited ones and owned values (an <c>Address</c>
    /// without a key), not its navigations to other entities, which a query loads only when it includes them.
    /// </summary>
    public PhiReason? GetColumnPhi(INamedTypeSymbol entity)
    {
        for (var t = entity; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member.Kind is not (SymbolKind.Field or SymbolKind.Property) || member.IsStatic || member.IsImplicitlyDeclared ||
                    ValueTypeOf(member) is not { } valueType)
                {
                    continue;
                }

                if (IsScalarData(valueType))
                {
                    if (ClassifyMemberOf(member, entity) is { } column)
                    {
                        return column;
                    }
                }
                else if (GetElementType(valueType) is null && UnwrapNullable(valueType) is INamedTypeSymbol owned &&
                         !Persistence.EntityKeys.HasKey(owned) && GetCarriedPhi(owned) is { } ownedPhi)
                {
                    return PhiReason.Carrying(Describe(member), ownedPhi);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A row that points at a patient (an Appointment with its PatientId) says that this patient had it: the record of a
    /// visit, an order or a claim is the patient's health information even when its own columns name no one.
    /// </summary>
    public PhiReason? GetPatientLink(INamedTypeSymbol entity) =>
        !IsNonPatientType(entity) && PatientLinkOf(entity) is { } link ? new PhiReason(Describe(link), "links the record to a patient") : null;

    /// <summary>The member of a type that names a patient or holds one (<c>PatientId</c>, <c>Patient</c>), if any.</summary>
    private ISymbol? PatientLinkOf(INamedTypeSymbol type)
    {
        if (!HasPatientLink(type))
        {
            return null;
        }

        for (var t = type; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member.Kind is SymbolKind.Field or SymbolKind.Property && !member.IsStatic && !member.IsImplicitlyDeclared &&
                    NamesPatient(member.Name))
                {
                    return member;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Does formatting this type with ToString write PHI: a record's generated ToString, or a ToString override
    /// that returns PHI.
    /// </summary>
    public PhiReason? GetToStringLeak(ITypeSymbol? type)
    {
        if (type is null || type.SpecialType != SpecialType.None || type.TypeKind is TypeKind.Interface or TypeKind.TypeParameter)
        {
            return null;
        }

        if (_formattingLeaks.TryGetValue(type, out var cached))
        {
            return cached.Reason;
        }

        // A ToString that formats a member of its own type must terminate.
        var guard = t_toStringGuard ??= new CycleGuard<ITypeSymbol>(SymbolEqualityComparer.Default);
        if (!guard.TryEnter(type))
        {
            return null;
        }

        PhiReason? reason = null;
        bool complete = false;
        try
        {
            reason = ComputeToStringLeak(type);
        }
        finally
        {
            complete = guard.Exit();
        }

        if (complete)
        {
            _formattingLeaks.TryAdd(type, new Box(reason));
        }

        return reason;
    }

    public bool IsSanitizer(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        if (type.Name == "Phi" && method.Name is "Redact" or "Pseudonymize")
        {
            return true;
        }

        // Keyed hashes (HMACSHA256.HashData, hmac.ComputeHash) are one-way without the key.
        if (type.Name.StartsWith("HMAC", StringComparison.Ordinal) && method.Name is "HashData" or "ComputeHash" or "TryHashData")
        {
            return true;
        }

        if (Options.Sanitizers.Count > 0 &&
            Options.IsSanitizerName(type.Name, type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat), method.Name))
        {
            return true;
        }

        foreach (var word in IdentifierWords.Split(method.Name))
        {
            switch (word)
            {
                case "redact":
                case "mask":
                case "pseudonymize":
                case "pseudonymise":
                case "anonymize":
                case "anonymise":
                case "encrypt":
                case "protect":
                case "tokenize":
                case "scrub":
                case "obfuscate":
                    return true;
            }
        }

        return false;
    }

    /// <summary>A type that holds data (string, number, date, collection of those), not a service, flag or delegate.</summary>
    public static bool IsDataType(ITypeSymbol? type) => IsDataType(type, 0);

    /// <summary>Nested element types are followed a few levels at most (List&lt;List&lt;string&gt;&gt;), never without bound.</summary>
    private const int MaxElementDepth = 4;

    private static bool IsDataType(ITypeSymbol? type, int depth)
    {
        if (type is null || depth > MaxElementDepth)
        {
            return true;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Void:
                return false;
            case SpecialType.System_String:
            case SpecialType.System_Object:
            case SpecialType.System_Char:
            case SpecialType.System_DateTime:
                return true;
        }

        if (IsNumeric(type) || type.TypeKind == TypeKind.Enum)
        {
            return false;
        }

        if (type is IArrayTypeSymbol array)
        {
            // byte[] and char[] hold text or content (Encoding.GetBytes(ssn)), unlike a single number.
            return array.ElementType.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char ||
                   IsDataType(array.ElementType, depth + 1);
        }

        if (type.TypeKind is TypeKind.Delegate or TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return false;
        }

        if (type is INamedTypeSymbol named)
        {
            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                return IsDataType(named.TypeArguments[0], depth + 1);
            }

            if (named.Name is "Type" or "CancellationToken" or "Task" or "ValueTask" && named.TypeArguments.Length == 0)
            {
                return false;
            }

            if (named.Name is "Task" or "ValueTask" && named.TypeArguments.Length == 1)
            {
                return IsDataType(named.TypeArguments[0], depth + 1);
            }

            var element = GetElementType(named);
            if (element is not null)
            {
                return IsDataType(element, depth + 1);
            }
        }

        return true;
    }

    /// <summary>
    /// A type whose values pass on the data they were made from: strings, dates, byte and char arrays, builders, URIs,
    /// key-value pairs, tuples, JSON nodes, collections of those, and the user's own types. A framework object such as an
    /// HttpResponseMessage does not pass on its request's URL to its StatusCode.
    /// </summary>
    public bool IsValueCarrier(ITypeSymbol? type) => IsValueCarrier(type, 0);

    private bool IsValueCarrier(ITypeSymbol? type, int depth)
    {
        if (type is null || depth > MaxElementDepth || !IsDataType(type))
        {
            return type is null;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Object:
            case SpecialType.System_Char:
            case SpecialType.System_DateTime:
                return true;
        }

        if (type is IArrayTypeSymbol || type.TypeKind == TypeKind.TypeParameter || IsUserCode(type) ||
            type is INamedTypeSymbol { IsAnonymousType: true } or INamedTypeSymbol { IsTupleType: true })
        {
            return true;
        }

        if (type is INamedTypeSymbol named)
        {
            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T ||
                named.Name is "Task" or "ValueTask" && named.TypeArguments.Length == 1)
            {
                return IsValueCarrier(named.TypeArguments[0], depth + 1);
            }

            var element = GetElementType(named);
            if (element is not null)
            {
                return IsValueCarrier(element, depth + 1);
            }
        }

        return type.Name is "StringBuilder" or "Uri" or "UriBuilder" or "KeyValuePair" or "Tuple" or "StringValues"
            or "DateTimeOffset" or "DateOnly" or "TimeOnly" or "Guid" or "ReadOnlySpan" or "Span" or "Memory" or "ReadOnlyMemory"
            or "JsonNode" or "JsonObject" or "JsonArray" or "JsonValue" or "JsonElement" or "JsonDocument" or "JObject" or "JToken"
            or "JArray" or "MailAddress" or "IPAddress" or "StringWriter" or "StringContent" or "TagList" or "QueryString"
            or "PathString" or "StringSegment" or "ArraySegment";
    }

    public static bool IsNumeric(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                return true;
            default:
                return false;
        }
    }

    /// <summary>The element type of an array or a generic collection (IEnumerable&lt;T&gt;), else null. Strings are not collections here.</summary>
    public static ITypeSymbol? GetElementType(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return array.ElementType;
        }

        if (type.SpecialType == SpecialType.System_String || type is not INamedTypeSymbol named)
        {
            return null;
        }

        ITypeSymbol? element = null;
        if (IsGenericEnumerable(named))
        {
            element = named.TypeArguments[0];
        }
        else if (Interfaces.Of(named).Any(IsGenericEnumerable))
        {
            // Only a collection's own interfaces are listed: AllInterfaces builds a new array at every call.
            foreach (var i in named.AllInterfaces)
            {
                if (IsGenericEnumerable(i))
                {
                    element = i.TypeArguments[0];
                    break;
                }
            }
        }

        // A tree node that enumerates its own kind (JObject : JToken, IEnumerable<JToken>) is not a collection of
        // something else; treating it as one would recurse forever.
        return element is null || InSameHierarchy(named, element) ? null : element;
    }

    private static bool InSameHierarchy(ITypeSymbol a, ITypeSymbol b)
    {
        for (var t = a; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, b))
            {
                return true;
            }
        }

        for (var t = b; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, a))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsGenericEnumerable(INamedTypeSymbol type) =>
        type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T;

    private PhiReason? ComputeSymbol(ISymbol symbol)
    {
        var attributeReason = AttributeReason(symbol, out bool notPhi, out bool personalOnly);
        if (notPhi)
        {
            return null;
        }

        var valueType = ValueTypeOf(symbol);
        var container = ContainingTypeForNames(symbol);

        // Identity's [PersonalData] says the data is personal; it is health information only when the person is a patient.
        if (personalOnly && !(container is not null && IsWeakNameContextType(container)))
        {
            attributeReason = null;
        }

        if (attributeReason is not null)
        {
            // The team said so explicitly: even a flag such as [Phi] bool HivPositive is PHI.
            return valueType is null || valueType.SpecialType == SpecialType.System_Boolean || IsScalarData(valueType) ||
                   IsDataType(valueType) || GetCarriedPhi(valueType) is not null
                ? new PhiReason(Describe(symbol), attributeReason, identifiesPerson: personalOnly)
                : null;
        }

        if (container is not null && symbol.Kind is SymbolKind.Field or SymbolKind.Property && !symbol.IsStatic)
        {
            var typeReason = TypeAttributeReason(container);
            if (typeReason is not null && valueType is not null && (IsScalarData(valueType) || IsDataType(valueType)))
            {
                return new PhiReason(Describe(symbol), "member of " + typeReason);
            }
        }

        return ComputeNameReason(symbol, valueType, container);
    }

    private PhiReason? ComputeNameReason(ISymbol symbol, ITypeSymbol? valueType, INamedTypeSymbol? container)
    {
        if (!Options.NameHeuristics || valueType is null || !IsNameCandidate(symbol))
        {
            return null;
        }

        var match = MatchName(symbol.Name) ?? MatchGivenNames(symbol);
        if (match is null)
        {
            return null;
        }

        bool scalar = IsScalarData(valueType);
        if (!scalar && !(match.Strong && IsSourceDataType(valueType)))
        {
            return null;
        }

        // A local's value comes from code in plain sight, so a weak name alone ("name", "email") does not make it PHI.
        if (!match.Strong && !match.NamesPerson && (symbol.Kind == SymbolKind.Local || !IsWeakNameContext(symbol, container)))
        {
            return null;
        }

        // A doctor's date of birth, an employee's member id, a drug product's identification number: workforce or catalog
        // data. Clinical names (a diagnosis, a prescription) stay PHI wherever they are.
        if (match.IdentifiesPerson && !match.NamesPerson && IsNonPatientContext(symbol, container))
        {
            return null;
        }

        if (match.Strong && !match.NamesPerson && match.Phrase is { } phrase && NamesNoRecordOfAPatient(symbol, valueType, container, phrase))
        {
            return null;
        }

        return new PhiReason(Describe(symbol), match.Describe(), byName: true, match.IdentifiesPerson);
    }

    /// <summary>
    /// Strong names that, by their type and surroundings, hold no one's record:
    /// <list type="bullet">
    /// <item>a whole number named for clinical content is a count or a key (<c>int ActivePrescriptions</c>);</item>
    /// <item>a foreign key beside its navigation (<c>InsuranceId</c> next to <c>Insurance</c>) points at a row, it is not the number;</item>
    /// <item>a date of service, admission or discharge with no patient beside it (a query's or a booking form's date) names no one;</item>
    /// <item>a type named for the same thing, with no patient in it, is a catalog entry (<c>Medication.MedicationName</c>,
    /// <c>DiagnosisCode.Icd10</c>).</item>
    /// </list>
    /// </summary>
    private bool NamesNoRecordOfAPatient(ISymbol symbol, ITypeSymbol valueType, INamedTypeSymbol? container, NamePhrase phrase)
    {
        var label = phrase.Label;
        bool member = symbol.Kind is SymbolKind.Field or SymbolKind.Property;
        if (!Options.IdentityLabels.Contains(label) && IsWholeNumber(valueType))
        {
            return true;
        }

        if (member && container is not null && IsForeignKeyBesideNavigation(symbol, container))
        {
            return true;
        }

        if (label is "date of service" or "admission date" or "discharge date")
        {
            return !member || container is null || !(IsPersonTypeName(container.Name) || HasPatientLink(container));
        }

        return member && container is not null && !Options.IdentityLabels.Contains(label) && DescribesAThing(symbol.Name, phrase) &&
               MatchName(container.Name) is { Phrase: { } typePhrase } && typePhrase.Label == label &&
               !IsPersonTypeName(container.Name) && TypeAttributeReason(container) is null && !HasPatientLink(container);
    }

    /// <summary>"MedicationName", "DiagnosisCode": the words after the phrase name or classify a thing, not a record of someone.</summary>
    private static bool DescribesAThing(string identifier, NamePhrase phrase)
    {
        var words = IdentifierWords.Split(identifier);
        int end = phrase.Match(words);
        if (end < 0 || end >= words.Length)
        {
            return false;
        }

        for (int i = end; i < words.Length; i++)
        {
            switch (words[i])
            {
                case "name":
                case "title":
                case "description":
                case "code":
                case "category":
                case "class":
                case "group":
                case "form":
                case "strength":
                case "unit":
                case "label":
                case "display":
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    private static bool IsWholeNumber(ITypeSymbol type)
    {
        var t = UnwrapNullable(type);
        return IsNumeric(t) && t.SpecialType is not (SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal
            or SpecialType.System_IntPtr or SpecialType.System_UIntPtr);
    }

    /// <summary><c>InsuranceId</c> (a number or Guid) when the type also has a navigation <c>Insurance</c> of a class type.</summary>
    private static bool IsForeignKeyBesideNavigation(ISymbol symbol, INamedTypeSymbol container)
    {
        var name = symbol.Name;
        if (name.Length <= 2 || !name.EndsWith("Id", StringComparison.Ordinal) || ValueTypeOf(symbol) is not { } keyType ||
            !(IsWholeNumber(keyType) || UnwrapNullable(keyType).Name == "Guid"))
        {
            return false;
        }

        var navigation = name.Substring(0, name.Length - 2);
        for (var t = container; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            foreach (var candidate in t.GetMembers(navigation))
            {
                if (candidate.Kind is SymbolKind.Property or SymbolKind.Field && ValueTypeOf(candidate) is { TypeKind: TypeKind.Class } navigationType &&
                    navigationType.SpecialType == SpecialType.None)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The type points at a patient: a member named for one (<c>PatientId</c>, <c>PatientName</c>) or of a person type.</summary>
    private bool HasPatientLink(INamedTypeSymbol type) =>
        _patientLinks.GetOrAdd(type, t =>
        {
            for (var current = t; current is not null && current.SpecialType == SpecialType.None; current = current.BaseType)
            {
                foreach (var member in current.GetMembers())
                {
                    if (member.Kind is not (SymbolKind.Field or SymbolKind.Property) || member.IsStatic || member.IsImplicitlyDeclared)
                    {
                        continue;
                    }

                    if (NamesPatient(member.Name))
                    {
                        return true;
                    }

                    var memberType = ValueTypeOf(member) is { } v ? GetElementType(UnwrapNullable(v)) ?? UnwrapNullable(v) : null;
                    if (memberType is INamedTypeSymbol named && named.SpecialType == SpecialType.None && IsPersonTypeName(named.Name))
                    {
                        return true;
                    }
                }
            }

            return false;
        });

    /// <summary>A word of the identifier names a patient ("patientSsn", "PatientId"); the ambiguous person words do not count.</summary>
    private bool NamesPatient(string identifier) => NamesPerson(identifier, typeName: false);

    /// <summary>
    /// A member of a FHIR resource about a person (<c>patient.BirthDate</c>, <c>observation.Value</c>), unless it describes
    /// the record (Id, Meta, Status): PHI as part of the resource.
    /// </summary>
    public PhiReason? ClassifyFhirMember(ISymbol member, ITypeSymbol? resourceType)
    {
        if (FhirModel.IsBookkeeping(member) || FhirModel.ResourceReason(resourceType) is not { } why ||
            ValueTypeOf(member) is not { } valueType || !IsDataType(valueType))
        {
            return null;
        }

        var owner = FhirModel.IsPersonDataType(member.ContainingType) ? member.ContainingType!.Name : resourceType!.Name;
        return new PhiReason(owner + "." + member.Name, "part of a " + why);
    }

    /// <summary>
    /// The names serialization, mapping and binding attributes give a member or parameter, which is how the data is
    /// known outside the code: <c>[JsonPropertyName("dob")]</c>, <c>[JsonProperty("ssn")]</c>, <c>[Column("patient_ssn")]</c>,
    /// <c>[Display(Name = "Date of birth")]</c>, <c>[FromQuery(Name = "nationalId")]</c>, <c>[DataMember(Name = "mrn")]</c>.
    /// </summary>
    private NameMatch? MatchGivenNames(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            switch (attribute.AttributeClass?.Name)
            {
                case "JsonPropertyNameAttribute":
                case "JsonPropertyAttribute":
                case "ColumnAttribute":
                case "DisplayAttribute":
                case "FromQueryAttribute":
                case "FromRouteAttribute":
                case "FromHeaderAttribute":
                case "FromFormAttribute":
                case "DataMemberAttribute":
                case "BindPropertyAttribute":
                    break;
                default:
                    continue;
            }

            foreach (var argument in attribute.ConstructorArguments)
            {
                if (argument.Kind == TypedConstantKind.Primitive && argument.Value is string given && MatchName(given) is { } match)
                {
                    return match;
                }
            }

            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key is "Name" or "PropertyName" && named.Value.Value is string given && MatchName(given) is { } match)
                {
                    return match;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The symbol belongs to staff or a catalog entry: a member of a Doctor or DrugProduct type, or a parameter of
    /// DoctorsController or UpdateStaffMember.
    /// </summary>
    private bool IsNonPatientContext(ISymbol symbol, INamedTypeSymbol? container)
    {
        if (container is not null && IsNonPatientType(container))
        {
            return true;
        }

        return symbol.Kind is SymbolKind.Parameter or SymbolKind.Local && symbol.ContainingSymbol is IMethodSymbol method &&
               NamesNonPatient(method.Name);
    }

    /// <summary>
    /// A type named for staff or a catalog entry (Doctor, NurseDto, StaffMember, DrugProduct, SpecialtyViewModel,
    /// DoctorsController) and not also for a patient (PatientDoctorLink is about the patient).
    /// </summary>
    public bool IsNonPatientType(INamedTypeSymbol type) =>
        _nonPatientTypes.GetOrAdd(type, t =>
            NamesNonPatient(t.Name) || (IsIdentityUser(t) && !NamesPatient(t.Name) && TypeAttributeReason(t) is null && !IsPatientAccount(t)));

    /// <summary>
    /// An Identity user type that the application uses for patients' accounts although its name does not say so: it
    /// adds such users to a patient role, or its patient-role endpoints work with them (<see cref="PatientAccounts"/>).
    /// Its personal data is a patient's, except where it is reached through staff (<c>doctor.User.FirstName</c>).
    /// </summary>
    public bool IsPatientAccount(INamedTypeSymbol type) =>
        IsIdentityUser(type) &&
        System.Threading.LazyInitializer.EnsureInitialized(ref _patientAccounts, () => PatientAccounts.Find(Compilation, NamesPatient, default))!
            .Contains(type.OriginalDefinition);

    /// <summary>
    /// An ASP.NET Core Identity user (<c>ApplicationUser : IdentityUser</c>) is an account, personal data whoever holds it;
    /// it is a patient's when it is named so (<c>PatientUser</c>), marked <c>[Phi]</c>, or used for patients' accounts
    /// (<see cref="IsPatientAccount"/>).
    /// </summary>
    private static bool IsIdentityUser(INamedTypeSymbol type)
    {
        for (var t = type.BaseType; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            if (t.Name == "IdentityUser" && TypeNames.IsInOrUnderNamespace(t.ContainingNamespace, "Microsoft.AspNetCore.Identity"))
            {
                return true;
            }
        }

        return false;
    }

    private bool NamesNonPatient(string identifier) =>
        _nonPatientNames.GetOrAdd(identifier, name =>
        {
            bool nonPatient = false;
            foreach (var word in IdentifierWords.Split(name))
            {
                if (IsPersonWord(word))
                {
                    return false;
                }

                var singular = word.Length > 3 && word[word.Length - 1] == 's' ? word.Substring(0, word.Length - 1) : word;
                nonPatient |= Options.NonPatientTypeWords.Contains(word) || Options.NonPatientTypeWords.Contains(singular);
            }

            return nonPatient;
        });

    /// <summary>
    /// Name heuristics judge what the team's code says: this project and its own libraries (a Domain project with the
    /// Patient class), not framework or third-party packages, and not constants or statics.
    /// </summary>
    private bool IsNameCandidate(ISymbol symbol)
    {
        if (symbol.IsImplicitlyDeclared && symbol.Kind != SymbolKind.Parameter)
        {
            return false;
        }

        switch (symbol)
        {
            case IFieldSymbol field:
                return !field.IsConst && !field.IsStatic && IsUserCode(symbol);
            case IPropertySymbol property:
                return !property.IsStatic && !property.IsIndexer && IsUserCode(symbol);
            case ILocalSymbol local:
                return !local.IsConst;
            case IParameterSymbol parameter:
                return IsUserCode(parameter.ContainingSymbol) && !IsCallerInfo(parameter);
            case IMethodSymbol method:
                return method.MethodKind == MethodKind.Ordinary && IsUserCode(symbol);
            default:
                return false;
        }
    }

    /// <summary>Declared in this compilation or in one of the team's own assemblies (not a framework or well-known package).</summary>
    internal bool IsUserCode(ISymbol symbol) => CodeOrigin.IsTeamCode(symbol, Compilation);

    /// <summary>[CallerMemberName] string memberName and friends hold code names, filled in by the compiler.</summary>
    private static bool IsCallerInfo(IParameterSymbol parameter)
    {
        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "CallerMemberNameAttribute" or "CallerFilePathAttribute" or "CallerArgumentExpressionAttribute" })
            {
                return true;
            }
        }

        return false;
    }

    private bool IsWeakNameContext(ISymbol symbol, INamedTypeSymbol? container)
    {
        if (container is not null && IsWeakNameContextType(container))
        {
            return true;
        }

        // The email parameter of PatientsController.Invite or of RegisterPatient(string email) is a patient's.
        // Fields of a PatientService are not (its _fromAddress is the clinic's), so this is for parameters and locals.
        if (symbol.Kind is not (SymbolKind.Parameter or SymbolKind.Local))
        {
            return false;
        }

        var method = symbol.ContainingSymbol as IMethodSymbol;
        return (container is not null && NamesPerson(container.Name)) || (method is not null && NamesPerson(method.Name));
    }

    private bool IsWeakNameContextType(INamedTypeSymbol type) =>
        _weakNameContext.GetOrAdd(type, t => ComputeWeakNameContext(t));

    private bool ComputeWeakNameContext(INamedTypeSymbol type)
    {
        // A login or password-reset form's email identifies an account to authenticate, not a patient's record.
        if (IsNonPatientType(type) || NamesAuthentication(type.Name))
        {
            return false;
        }

        if (IsPatientAccount(type))
        {
            return true;
        }

        for (var t = type; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            if (IsPersonTypeName(t.Name) || TypeAttributeReason(t) is not null)
            {
                return true;
            }
        }

        // A type with a strong PHI member (an SSN, a diagnosis) is about a person; its email and phone are PHI too.
        foreach (var member in type.GetMembers())
        {
            if (member.Kind is SymbolKind.Field or SymbolKind.Property && !member.IsStatic && !member.IsImplicitlyDeclared)
            {
                if (AttributeReason(member, out _, out bool personalOnly) is not null && !personalOnly)
                {
                    return true;
                }

                var valueType = ValueTypeOf(member);
                var match = Options.NameHeuristics && valueType is not null && IsNameCandidate(member) ? MatchName(member.Name) : null;
                if (match is not null && match.Strong && IsScalarData(valueType!))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool NamesAuthentication(string typeName)
    {
        foreach (var word in IdentifierWords.Split(typeName))
        {
            switch (word)
            {
                case "login":
                case "logon":
                case "signin":
                case "credential":
                case "credentials":
                case "password":
                case "passwords":
                    return true;
            }
        }

        return false;
    }

    /// <summary>Any word of a type or method name names a person: "RegisterMember", "PatientsController".</summary>
    private bool NamesPerson(string identifier, bool typeName = true)
    {
        foreach (var word in IdentifierWords.Split(identifier))
        {
            if (IsPersonWord(word, typeName))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A type that stands for a person (Patient, PatientDto, InsuredMember), not a service about persons.</summary>
    private bool IsPersonTypeName(string typeName)
    {
        var words = IdentifierWords.Split(typeName);
        if (words.Length == 0 || ServiceWords.Contains(words[words.Length - 1]))
        {
            return false;
        }

        foreach (var word in words)
        {
            if (IsPersonWord(word, typeName: true))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsPersonWord(string word, bool typeName = false)
    {
        var singular = word.Length > 3 && word[word.Length - 1] == 's' ? word.Substring(0, word.Length - 1) : word;
        if (!Options.PersonTypeWords.Contains(word) && !Options.PersonTypeWords.Contains(singular))
        {
            return false;
        }

        // "memberName" ([CallerMemberName]) and "recipientEmail" say nothing about patients; a Member type does.
        return typeName || !(AmbiguousPersonWords.Contains(word) || AmbiguousPersonWords.Contains(singular));
    }

    private static readonly HashSet<string> AmbiguousPersonWords = new(StringComparer.Ordinal)
    {
        "member", "dependent", "individual", "resident", "recipient", "participant", "applicant", "person",
    };

    /// <summary>A type named like a service (PatientService, PatientRepository): it does things, it is not data a request carries.</summary>
    internal static bool NamesService(string typeName) =>
        IdentifierWords.LastWordIsOneOf(typeName, ServiceWords);

    /// <summary>Last words of type names that do things rather than hold a person's data.</summary>
    private static readonly IdentifierWords.WordSet ServiceWords = new(new[]
    {
        "service", "services", "controller", "repository", "handler", "manager", "client", "provider", "notifier",
        "sender", "factory", "builder", "validator", "options", "settings", "config", "configuration", "context",
        "store", "cache", "mapper", "api", "endpoints", "module", "job", "worker", "hub", "middleware", "filter",
        "extensions", "helper", "helpers", "tests", "test", "fixture", "exception", "logger", "policy", "requirement",
    });

    /// <summary>
    /// A route value named like PHI (<c>{ssn}</c>, <c>{mrn}</c>, <c>{dateOfBirth}</c>): strong names only, since a
    /// route value is not inside a type that could give a weak name its person context.
    /// </summary>
    public PhiReason? ClassifyRouteValue(string name)
    {
        if (!Options.NameHeuristics || name.Length == 0)
        {
            return null;
        }

        return MatchName(name) is { Strong: true } match ? new PhiReason("{" + name + "}", match.Describe(), byName: true, match.IdentifiesPerson) : null;
    }

    private NameMatch? MatchName(string identifier) =>
        _names.TryGetValue(identifier, out var known) ? known : _names.GetOrAdd(identifier, ComputeNameMatch(identifier));

    private NameMatch? ComputeNameMatch(string identifier)
    {
        if (Options.MatchesRegex(Options.NotPhiNamePattern, identifier))
        {
            return null;
        }

        var words = IdentifierWords.Split(identifier);
        foreach (var phrase in Options.NotPhiNames)
        {
            if (phrase.Match(words) >= 0)
            {
                return null;
            }
        }

        bool namesPerson = false;
        foreach (var word in words)
        {
            namesPerson |= IsPersonWord(word);
        }

        var strong = FirstMatch(Options.StrongNames, words);
        if (strong is not null)
        {
            return new NameMatch(strong, strong: true, namesPerson, Options.IdentityLabels.Contains(strong.Label));
        }

        if (Options.MatchesRegex(Options.PhiNamePattern, identifier))
        {
            return new NameMatch(null, strong: true, namesPerson, identifiesPerson: false);
        }

        var weak = FirstMatch(Options.WeakNames, words, thingsExcluded: true);
        return weak is null ? null : new NameMatch(weak, strong: false, namesPerson, identifiesPerson: true);

        NamePhrase? FirstMatch(NamePhrase[] phrases, string[] w, bool thingsExcluded = false)
        {
            foreach (var phrase in phrases)
            {
                int end = phrase.Match(w);
                if (end >= 0 && !HasNeutralSuffix(w, end) && !HasProtectedPrefix(w, phrase) &&
                    !(thingsExcluded && (NamesThing(w, phrase) || NamesActor(w, phrase))))
                {
                    return phrase;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// "PrescribedByName", "CreatedByEmail": the name or email of whoever did something to the record (a user or staff
    /// member), not of the person the record is about.
    /// </summary>
    private static bool NamesActor(string[] words, NamePhrase phrase) => WordBefore(words, phrase) == "by";

    /// <summary>"fileName", "serverAddress": the word before the weak name says whose name or address it is.</summary>
    private bool NamesThing(string[] words, NamePhrase phrase) => WordBefore(words, phrase) is { } before && Options.ThingWords.Contains(before);

    /// <summary>"hashedSsn", "maskedSsn": the word before the name says the value is already protected.</summary>
    private static bool HasProtectedPrefix(string[] words, NamePhrase phrase) =>
        WordBefore(words, phrase) is "hashed" or "hash" or "hmac" or "masked" or "redacted" or "encrypted" or "pseudonymized"
            or "pseudonymised" or "tokenized" or "protected" or "anonymized" or "anonymised";

    private static string? WordBefore(string[] words, NamePhrase phrase)
    {
        int end = phrase.Match(words);
        int length = 0;
        int start = end;
        while (start > 0 && length < phrase.Joined.Length)
        {
            start--;
            length += words[start].Length;
        }

        return start > 0 ? words[start - 1] : null;
    }

    private bool HasNeutralSuffix(string[] words, int from)
    {
        for (int i = from; i < words.Length; i++)
        {
            if (Options.NeutralWords.Contains(words[i]))
            {
                return true;
            }
        }

        return false;
    }

    private PhiReason? GetCarriedPhi(ITypeSymbol? type, int depth, bool destructuring)
    {
        if (type is null)
        {
            return null;
        }

        type = UnwrapNullable(type);
        var element = GetElementType(type);
        if (element is not null)
        {
            return GetCarriedPhi(element, depth + 1, destructuring);
        }

        if (type.SpecialType != SpecialType.None || type is not INamedTypeSymbol)
        {
            return null;
        }

        var cache = destructuring ? _destructured : _carrying;
        if (cache.TryGetValue(type, out var cached))
        {
            return cached.Reason;
        }

        // A FHIR resource is judged by what it is, not by the names of the SDK's members.
        if (FhirModel.ResourceReason(type) is { } fhir)
        {
            var resource = new PhiReason(type.Name, fhir);
            cache.TryAdd(type, new Box(resource));
            return resource;
        }

        if (!IsCandidateCarrier(type))
        {
            cache.TryAdd(type, new Box(null));
            return null;
        }

        var guard = destructuring
            ? t_destructuringGuard ??= new CycleGuard<ITypeSymbol>(SymbolEqualityComparer.Default)
            : t_carryingGuard ??= new CycleGuard<ITypeSymbol>(SymbolEqualityComparer.Default);
        if (depth > MaxTypeDepth)
        {
            guard.MarkIncomplete();
            return null;
        }

        if (!guard.TryEnter(type))
        {
            return null;
        }

        PhiReason? reason = null;
        bool complete = false;
        try
        {
            reason = ComputeCarried((INamedTypeSymbol)type, depth, destructuring);
        }
        finally
        {
            complete = guard.Exit();
        }

        if (complete)
        {
            cache.TryAdd(type, new Box(reason));
        }

        return reason;
    }

    [ThreadStatic]
    private static CycleGuard<ITypeSymbol>? t_carryingGuard;

    [ThreadStatic]
    private static CycleGuard<ITypeSymbol>? t_destructuringGuard;

    [ThreadStatic]
    private static CycleGuard<ITypeSymbol>? t_toStringGuard;

    private bool IsCandidateCarrier(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol || type.SpecialType != SpecialType.None ||
            type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return false;
        }

        // Framework types carry no PHI, except ASP.NET Core Identity's user types with [PersonalData].
        return IsUserCode(type) ||
               TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Microsoft.AspNetCore.Identity");
    }

    private static bool EndsInIdentity(PhiReason reason) => reason.Inner is { } inner ? EndsInIdentity(inner) : reason.IdentifiesPerson;

    private PhiReason? ComputeCarried(INamedTypeSymbol type, int depth, bool destructuring)
    {
        var typeReason = TypeAttributeReason(type);
        if (typeReason is not null)
        {
            return new PhiReason(type.Name, typeReason);
        }

        bool nonPatient = IsNonPatientType(type);

        for (var t = type; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            foreach (var member in t.GetMembers())
            {
                if (member.Kind is not (SymbolKind.Field or SymbolKind.Property) || member.IsStatic || member.IsImplicitlyDeclared)
                {
                    continue;
                }

                if (destructuring && Masks.IsMasked(member, type))
                {
                    continue;
                }

                var reason = ClassifyMemberOf(member, type);
                if (reason is not null)
                {
                    return reason;
                }

                var nested = destructuring && LoggingMasks.IsLoggedAsScalar(member)
                    ? GetToStringLeak(ValueTypeOf(member))
                    : GetCarriedPhi(ValueTypeOf(member), depth + 1, destructuring);

                // Provider.User is the provider's own account: who the provider is, not a patient. A doctor's list of
                // patients, or a member named for a patient, still carries the patients' PHI.
                if (nested is not null && nonPatient && EndsInIdentity(nested) && !NamesPatient(member.Name) &&
                    ValueTypeOf(member) is { } memberType && GetElementType(UnwrapNullable(memberType)) is null)
                {
                    continue;
                }

                if (nested is not null)
                {
                    return PhiReason.Carrying(Describe(member), nested);
                }
            }
        }

        return null;
    }

    private PhiReason? ComputeToStringLeak(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return null;
        }

        if (named.IsAnonymousType)
        {
            return GetCarriedPhi(named);
        }

        for (var t = named; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            foreach (var member in t.GetMembers("ToString"))
            {
                if (member is not IMethodSymbol { Parameters.Length: 0, IsOverride: true } toString)
                {
                    continue;
                }

                if (toString.IsImplicitlyDeclared || t.IsRecord && CodeOrigin.IsCompilerGenerated(toString))
                {
                    // A record's generated ToString prints every public field and property; in a referenced assembly
                    // it is an ordinary method marked [CompilerGenerated].
                    return t.IsRecord ? GetCarriedPhi(t) : null;
                }

                var summary = PhiFlow.GetSummary(this, toString);
                return summary.Intrinsic;
            }
        }

        return null;
    }

    /// <summary>Strings, characters, numbers, dates, identifiers and collections of them.</summary>
    internal static bool IsScalarData(ITypeSymbol type, int depth = 0)
    {
        if (depth > MaxElementDepth)
        {
            return false;
        }

        type = UnwrapNullable(type);
        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Char:
            case SpecialType.System_DateTime:
            case SpecialType.System_Object:
                return true;
            case SpecialType.System_Boolean:
                return false;
        }

        if (IsNumeric(type) || type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        var element = GetElementType(type);
        if (element is not null)
        {
            return IsScalarData(element, depth + 1);
        }

        return type.Name is "DateTimeOffset" or "DateOnly" or "TimeOnly" or "Guid" or "StringValues" or "MailAddress"
            or "IPAddress" or "PhoneNumber" or "Uri" && (TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "System") ||
             TypeNames.IsInNamespace(type.ContainingNamespace, "Microsoft.Extensions.Primitives"));
    }

    /// <summary>
    /// A type of the user's own whose ToString shows its content (a Diagnosis record, or a class that overrides
    /// ToString), so a member of that type named "Diagnosis" formats as the diagnosis. A plain class formats as its name.
    /// </summary>
    private bool IsSourceDataType(ITypeSymbol type)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || !IsUserCode(type))
        {
            return false;
        }

        if (type.IsRecord)
        {
            return true;
        }

        foreach (var member in type.GetMembers("ToString"))
        {
            if (member is IMethodSymbol { IsOverride: true, Parameters.Length: 0 })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>GetSsnAsync() returns an SSN, not a Task.</summary>
    private static ITypeSymbol UnwrapTask(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task ? task.TypeArguments[0] : type;

    private static ITypeSymbol UnwrapNullable(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n.TypeArguments[0] : type;

    private static ITypeSymbol? ValueTypeOf(ISymbol symbol) => symbol switch
    {
        IFieldSymbol f => f.Type,
        IPropertySymbol p => p.Type,
        IParameterSymbol p => p.Type,
        ILocalSymbol l => l.Type,
        IMethodSymbol m => m.ReturnsVoid ? null : UnwrapTask(m.ReturnType),
        _ => null,
    };

    private static INamedTypeSymbol? ContainingTypeForNames(ISymbol symbol) => symbol switch
    {
        IParameterSymbol or ILocalSymbol => symbol.ContainingSymbol?.ContainingType,
        _ => symbol.ContainingType,
    };

    private static string Describe(ISymbol symbol) => symbol switch
    {
        IFieldSymbol or IPropertySymbol => symbol.ContainingType is { IsAnonymousType: false } t ? t.Name + "." + symbol.Name : symbol.Name,
        IMethodSymbol m => (m.ContainingType?.Name is { } tn ? tn + "." : string.Empty) + m.Name + "()",
        _ => symbol.Name,
    };

    private static string? TypeAttributeReason(INamedTypeSymbol type)
    {
        for (var t = type; t is not null && t.SpecialType == SpecialType.None; t = t.BaseType)
        {
            var reason = AttributeReason(t, out bool notPhi);
            if (notPhi)
            {
                return null;
            }

            if (reason is not null)
            {
                return reason + " type " + t.Name;
            }
        }

        return null;
    }

    /// <summary>
    /// Matches attributes by name, so the runtime's [Phi], a team's own PhiAttribute, Microsoft.Extensions.Compliance
    /// data classifications and ASP.NET Core Identity's [PersonalData] all count without a reference to the runtime.
    /// </summary>
    private static string? AttributeReason(ISymbol symbol, out bool notPhi) => AttributeReason(symbol, out notPhi, out _);

    /// <summary>The attribute evidence of a symbol; <paramref name="personalOnly"/> when it is only Identity's [PersonalData] / [ProtectedPersonalData].</summary>
    private static string? AttributeReason(ISymbol symbol, out bool notPhi, out bool personalOnly)
    {
        var reason = AttributeReasonCore(symbol, out notPhi);
        personalOnly = reason is not null && reason.StartsWith("[Personal", StringComparison.Ordinal) ||
                       reason is not null && reason.StartsWith("[ProtectedPersonal", StringComparison.Ordinal);
        return reason;
    }

    /// <summary>The member is marked only with Identity's personal-data attributes.</summary>
    private static bool IsPersonalDataOnly(ISymbol member) =>
        AttributeReason(member, out bool notPhi, out bool personalOnly) is not null && personalOnly && !notPhi;

    private static string PersonalDataWhy(ISymbol member) => AttributeReason(member, out _) ?? "[PersonalData]";

    private static string? AttributeReasonCore(ISymbol symbol, out bool notPhi)
    {
        notPhi = false;
        string? reason = FromAttributes(symbol, symbol.GetAttributes(), ref notPhi);
        if (reason is null && symbol is IMethodSymbol method)
        {
            reason = FromAttributes(method, method.GetReturnTypeAttributes(), ref notPhi);
        }

        // A positional record parameter's attributes stay on the parameter: [Phi] string Ssn.
        if (reason is null && !notPhi && symbol is IPropertySymbol property && property.ContainingType?.IsRecord == true)
        {
            foreach (var ctor in property.ContainingType.InstanceConstructors)
            {
                foreach (var parameter in ctor.Parameters)
                {
                    if (parameter.Name == property.Name && SymbolEqualityComparer.Default.Equals(parameter.Type, property.Type))
                    {
                        reason = FromAttributes(property, parameter.GetAttributes(), ref notPhi);
                        if (reason is not null || notPhi)
                        {
                            return notPhi ? null : reason;
                        }
                    }
                }
            }
        }

        return notPhi ? null : reason;
    }

    private static string? FromAttributes(ISymbol symbol, ImmutableArray<AttributeData> attributes, ref bool notPhi)
    {
        string? reason = null;
        string? personal = null;
        foreach (var attribute in attributes)
        {
            var cls = attribute.AttributeClass;
            if (cls is null)
            {
                continue;
            }

            switch (cls.Name)
            {
                case "NotPhiAttribute":
                case "NoDataClassificationAttribute":
                    // Microsoft.Extensions.Compliance's [NoDataClassification] says the data is not classified at all.
                    notPhi = true;
                    return null;
                case "PhiAttribute":
                case "ProtectedHealthInformationAttribute":
                    reason ??= "[" + cls.Name.Substring(0, cls.Name.Length - "Attribute".Length) + "]";
                    continue;
                case "PersonalDataAttribute":
                case "ProtectedPersonalDataAttribute":
                    // Identity marks the user's Id [PersonalData] for "download my data"; a surrogate key is what logs
                    // should carry instead of the person, so it is not PHI here.
                    personal ??= symbol.Name == "Id" ? null : "[" + cls.Name.Substring(0, cls.Name.Length - "Attribute".Length) + "]";
                    continue;
            }

            for (var b = cls.BaseType; b is not null; b = b.BaseType)
            {
                if (b.Name == "DataClassificationAttribute" &&
                    TypeNames.IsInNamespace(b.ContainingNamespace, "Microsoft.Extensions.Compliance.Classification"))
                {
                    reason ??= "[" + cls.Name.Replace("Attribute", string.Empty) + "] data classification";
                    break;
                }
            }
        }

        return reason ?? personal;
    }

    private sealed class Box
    {
        public Box(PhiReason? reason) => Reason = reason;

        public PhiReason? Reason { get; }
    }

    private sealed class NameMatch
    {
        public NameMatch(NamePhrase? phrase, bool strong, bool namesPerson, bool identifiesPerson)
        {
            Phrase = phrase;
            Strong = strong;
            NamesPerson = namesPerson;
            IdentifiesPerson = identifiesPerson;
        }

        public NamePhrase? Phrase { get; }
        public bool Strong { get; }
        public bool NamesPerson { get; }

        /// <summary>The name says who someone is (see <see cref="PhiReason.IdentifiesPerson"/>).</summary>
        public bool IdentifiesPerson { get; }

        public string Describe() => Phrase is null
            ? "name matches " + PhiOptions.PhiNamePatternKey
            : "name: " + Phrase.Label;
    }
}
