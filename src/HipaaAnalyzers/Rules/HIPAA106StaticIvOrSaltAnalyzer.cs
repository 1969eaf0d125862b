using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

// Field initializers and helper bodies live in other trees; the driver caches semantic models per tree.
#pragma warning disable RS1030

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA106: an IV, nonce or salt that is all zeros, a constant (byte array literal, constant string, static readonly
/// field) or a field reused across encryptions, handed to an encrypting API or a password-based key derivation.
/// Decryption takes a stored IV and is left alone; keys are HIPAA201's.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA106StaticIvOrSaltAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: "Value" (replace the flagged expression) or "Initializer" (replace the local's initializer).</summary>
    public const string FixTargetProperty = "FixTarget";

    /// <summary>Diagnostic property: how many random bytes the fix generates.</summary>
    public const string LengthProperty = "Length";

    public const string FixValue = "Value";
    public const string FixInitializer = "Initializer";
    public const string FixNone = "None";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.StaticIvOrSalt);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(AnalyzeCall, OperationKind.Invocation, OperationKind.ObjectCreation);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
    }

    private static void AnalyzeCall(OperationAnalysisContext context)
    {
        IMethodSymbol? method;
        ImmutableArray<IArgumentOperation> arguments;
        switch (context.Operation)
        {
            case IInvocationOperation invocation:
                method = invocation.TargetMethod;
                arguments = invocation.Arguments;
                break;
            case IObjectCreationOperation creation:
                method = creation.Constructor;
                arguments = creation.Arguments;
                break;
            default:
                return;
        }

        if (method is null || !CryptoInputs.IsCryptoNamespace(method.ContainingType?.ContainingNamespace) ||
            CryptoInputs.IsDecryption(method) || method.ContainingType!.Name == "HKDF")
        {
            return;
        }

        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            var role = CryptoInputs.RoleOf(argument);
            if (role is CryptoInputRole.IV or CryptoInputRole.Nonce or CryptoInputRole.Salt)
            {
                Check(context, argument.Value, role, CryptoSymbols.Display(method));
            }
        }
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation property || CryptoInputs.RoleOf(property.Property) != CryptoInputRole.IV)
        {
            return;
        }

        if (IsDecryptionPath(assignment, context.ContainingSymbol))
        {
            return;
        }

        var receiver = property.Instance?.Type?.Name ?? property.Property.ContainingType.Name;
        Check(context, assignment.Value, CryptoInputRole.IV, receiver + ".IV");
    }

    /// <summary>An IV set in a method named like decryption, or one that decrypts and never encrypts.</summary>
    private static bool IsDecryptionPath(IOperation operation, ISymbol? containingSymbol)
    {
        if (containingSymbol is IMethodSymbol owner && HasWord(owner.Name, "decrypt", "decipher", "unprotect"))
        {
            return true;
        }

        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        bool decrypts = false, encrypts = false;
        foreach (var descendant in root.Descendants())
        {
            if (descendant is IInvocationOperation invocation && CryptoInputs.IsCryptoNamespace(invocation.TargetMethod.ContainingType?.ContainingNamespace))
            {
                var name = invocation.TargetMethod.Name;
                if (name.IndexOf("Decrypt", System.StringComparison.Ordinal) >= 0)
                {
                    decrypts = true;
                }
                else if (name.IndexOf("Encrypt", System.StringComparison.Ordinal) >= 0)
                {
                    encrypts = true;
                }
            }
        }

        return decrypts && !encrypts;
    }

    private static bool HasWord(string identifier, params string[] wanted)
    {
        foreach (var word in IdentifierWords.Split(identifier))
        {
            foreach (var w in wanted)
            {
                if (word == w)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void Check(OperationAnalysisContext context, IOperation value, CryptoInputRole role, string api)
    {
        var origin = Classify(value, role, context.ContainingSymbol, context.Compilation, context.CancellationToken);
        if (origin is null)
        {
            return;
        }

        int length = origin.Length ?? (role == CryptoInputRole.Nonce ? 12 : 16);
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(FixTargetProperty, origin.FixTarget)
            .Add(LengthProperty, length.ToString(CultureInfo.InvariantCulture));
        var what = role switch
        {
            CryptoInputRole.IV => "IV",
            CryptoInputRole.Nonce => "nonce",
            _ => "salt",
        };
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.StaticIvOrSalt, value.Syntax.GetLocation(), properties, what, api, origin.Description));
    }

    private sealed class Origin
    {
        public Origin(string description, int? length, string fixTarget)
        {
            Description = description;
            Length = length;
            FixTarget = fixTarget;
        }

        public string Description { get; }
        public int? Length { get; }
        public string FixTarget { get; }
    }

    private static Origin? Classify(IOperation value, CryptoInputRole role, ISymbol? containingSymbol, Compilation compilation, CancellationToken cancellationToken)
    {
        var operation = UnwrapView(value);
        if (role is CryptoInputRole.IV or CryptoInputRole.Nonce && KeySource(value, value, 0) is { } key)
        {
            var fix = operation is ILocalReferenceOperation ? FixNone : FixValue;
            return new Origin("derived from the key (" + key + "), so it repeats for every message under that key", null, fix);
        }

        switch (operation)
        {
            case ILocalReferenceOperation local:
                var values = LocalAssignments.For(local).ValuesOf(local.Local);
                if (values.Count != 1 || IsFilledOrPassedOn(local, local.Local))
                {
                    return null;
                }

                var constant = Constant(UnwrapView(values[0]), compilation, cancellationToken);
                return constant is null
                    ? null
                    : new Origin(constant.Value.Description + " (local '" + local.Local.Name + "')", constant.Value.Length, FixInitializer);
            case IFieldReferenceOperation field:
                return FieldOrigin(field, role, containingSymbol, compilation, cancellationToken);
            default:
                var direct = Constant(operation, compilation, cancellationToken);
                return direct is null ? FromFlow(operation, compilation, cancellationToken) : new Origin(direct.Value.Description, direct.Value.Length, FixValue);
        }
    }

    /// <summary>
    /// A constant IV, nonce or salt on one of the paths to the value, through the value flow: an arm of a conditional
    /// (<c>iv != null ? Convert.FromBase64String(iv) : new byte[16]</c>), a helper's return, a caller's argument. A local
    /// that is filled or handed to another call on the way (<c>RandomNumberGenerator.Fill(iv)</c>) ends the path. No fix:
    /// the other paths may be right.
    /// </summary>
    private static Origin? FromFlow(IOperation value, Compilation compilation, CancellationToken cancellationToken)
    {
        const int MaxSteps = 6;
        var budget = new FlowBudget();
        var pending = new Stack<(IOperation Operation, int Depth)>();
        pending.Push((value, 0));
        while (pending.Count > 0)
        {
            var (operation, depth) = pending.Pop();
            if (depth >= MaxSteps || operation is ILocalReferenceOperation local && IsFilledOrPassedOn(local, local.Local))
            {
                continue;
            }

            foreach (var source in ValueFlow.Back(operation, budget))
            {
                var unwrapped = UnwrapView(source);
                if (Constant(unwrapped, compilation, cancellationToken) is { } constant)
                {
                    return new Origin(constant.Description + " on one of the paths to it", constant.Length, FixNone);
                }

                pending.Push((unwrapped, depth + 1));
            }
        }

        return null;
    }

    /// <summary>
    /// Where an IV or nonce comes from the key: the Key property itself, or a local, parameter or field that the same
    /// method also uses as a key, read whole or through a slice (AsSpan, Slice, ToArray, Take, a range), through a local
    /// copy, or copied into the IV buffer (Array.Copy, Buffer.BlockCopy, CopyTo). Returns how the key is named, or null.
    /// </summary>
    private static string? KeySource(IOperation value, IOperation anyInBody, int depth)
    {
        if (depth > 3)
        {
            return null;
        }

        var operation = StripSlice(value);
        switch (operation)
        {
            case IPropertyReferenceOperation property when CryptoInputs.RoleOf(property.Property) == CryptoInputRole.Key:
                return "'" + property.Syntax.ToString() + "'";
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation:
                var symbol = ReferencedSymbol(operation)!;
                var root = Root(anyInBody);
                if (IsUsedAsKey(root, symbol))
                {
                    return "'" + symbol.Name + "'";
                }

                if (operation is ILocalReferenceOperation local)
                {
                    foreach (var assigned in LocalAssignments.For(local).ValuesOf(local.Local))
                    {
                        if (KeySource(assigned, anyInBody, depth + 1) is { } fromValue)
                        {
                            return fromValue;
                        }
                    }

                    return CopiedFromKey(root, local.Local, anyInBody, depth);
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Conversions, views and slices: key.AsSpan(0, 16), key.Take(16).ToArray(), key[..16], span.Slice(0, 16).</summary>
    private static IOperation StripSlice(IOperation operation)
    {
        for (int i = 0; i < 8; i++)
        {
            operation = CryptoSymbols.SkipConversions(operation);
            switch (operation)
            {
                case IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" or "Slice" or "ToArray" or "Take" or "AsEnumerable" } call:
                    var inner = call.Instance ?? (call.Arguments.Length > 0 && call.TargetMethod.IsExtensionMethod ? call.Arguments[0].Value : null);
                    if (inner is null)
                    {
                        return operation;
                    }

                    operation = inner;
                    continue;
                case IObjectCreationOperation { Arguments.Length: >= 1 } span when span.Type?.Name is "ReadOnlySpan" or "Span" or "ReadOnlyMemory" or "Memory":
                    operation = span.Arguments[0].Value;
                    continue;
                case IArrayElementReferenceOperation { Indices.Length: 1 } range when range.Type is IArrayTypeSymbol:
                    operation = range.ArrayReference;
                    continue;
                case IImplicitIndexerReferenceOperation indexer when indexer.Type is not null && indexer.Type.SpecialType != SpecialType.System_Byte:
                    operation = indexer.Instance;
                    continue;
                default:
                    return operation;
            }
        }

        return operation;
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        _ => null,
    };

    private static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>The symbol (whole, through a view) is assigned to a Key property or passed as a key argument in this body.</summary>
    private static bool IsUsedAsKey(IOperation root, ISymbol symbol)
    {
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment
                    when CryptoInputs.RoleOf(property.Property) == CryptoInputRole.Key &&
                         SymbolEqualityComparer.Default.Equals(ReferencedSymbol(WholeView(assignment.Value)), symbol):
                    return true;
                case IArgumentOperation argument
                    when argument.ArgumentKind != ArgumentKind.DefaultValue &&
                         CryptoInputs.RoleOf(argument) == CryptoInputRole.Key &&
                         SymbolEqualityComparer.Default.Equals(ReferencedSymbol(WholeView(argument.Value)), symbol):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The whole array under conversions and argument-less views. A key that is itself a slice (key and IV cut from one
    /// derived buffer) does not count: the IV's slice need not overlap it.
    /// </summary>
    private static IOperation WholeView(IOperation operation)
    {
        for (int i = 0; i < 4; i++)
        {
            operation = CryptoSymbols.SkipConversions(operation);
            switch (operation)
            {
                case IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory", Instance: { } instance, Arguments.Length: 0 }:
                    operation = instance;
                    continue;
                case IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory", Instance: null, Arguments.Length: 1 } extension:
                    operation = extension.Arguments[0].Value;
                    continue;
                case IObjectCreationOperation { Arguments.Length: 1 } span when span.Type?.Name is "ReadOnlySpan" or "Span" or "ReadOnlyMemory" or "Memory":
                    operation = span.Arguments[0].Value;
                    continue;
                default:
                    return operation;
            }
        }

        return operation;
    }

    /// <summary>Array.Copy(key, iv, 16), Buffer.BlockCopy(key, 0, iv, 0, 16), key.AsSpan(0, 16).CopyTo(iv).</summary>
    private static string? CopiedFromKey(IOperation root, ILocalSymbol destination, IOperation anyInBody, int depth)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is not IInvocationOperation invocation)
            {
                continue;
            }

            IOperation? source = null, target = null;
            var name = invocation.TargetMethod.Name;
            if (name is "Copy" or "BlockCopy" or "ConstrainedCopy" &&
                invocation.TargetMethod.ContainingType is { } type && (TypeNames.Is(type, "System", "Array") || TypeNames.Is(type, "System", "Buffer")))
            {
                foreach (var argument in invocation.Arguments)
                {
                    switch (argument.Parameter?.Name)
                    {
                        case "sourceArray" or "src":
                            source = argument.Value;
                            break;
                        case "destinationArray" or "dst":
                            target = argument.Value;
                            break;
                    }
                }
            }
            else if (name is "CopyTo" or "TryCopyTo" && invocation.Arguments.Length >= 1)
            {
                source = invocation.Instance ?? (invocation.TargetMethod.IsExtensionMethod ? invocation.Arguments[0].Value : null);
                target = invocation.TargetMethod.IsExtensionMethod
                    ? (invocation.Arguments.Length >= 2 ? invocation.Arguments[1].Value : null)
                    : invocation.Arguments[0].Value;
            }

            if (source is not null && target is not null &&
                SymbolEqualityComparer.Default.Equals(ReferencedSymbol(StripSlice(target)), destination) &&
                KeySource(source, anyInBody, depth + 1) is { } key)
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>The value under conversions, <c>AsSpan()</c>, <c>AsMemory()</c> and <c>new ReadOnlySpan&lt;byte&gt;(array)</c>.</summary>
    private static IOperation UnwrapView(IOperation operation)
    {
        while (true)
        {
            operation = CryptoSymbols.SkipConversions(operation);
            switch (operation)
            {
                case IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" } view:
                    var inner = view.Instance ?? (view.Arguments.Length > 0 ? view.Arguments[0].Value : null);
                    if (inner is null)
                    {
                        return operation;
                    }

                    operation = inner;
                    continue;
                case IObjectCreationOperation { Arguments.Length: 1 } span when span.Type?.Name is "ReadOnlySpan" or "Span" or "ReadOnlyMemory" or "Memory":
                    operation = span.Arguments[0].Value;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>A value that is the same on every run: a zero array, a byte array literal, the bytes of a constant string.</summary>
    private static (string Description, int? Length)? Constant(IOperation operation, Compilation compilation, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case IArrayCreationOperation { DimensionSizes.Length: 1 } array when IsByteArray(array.Type):
                int? size = array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int n } ? n : null;
                if (array.Initializer is null)
                {
                    return ("an all-zero array", size);
                }

                foreach (var element in array.Initializer.ElementValues)
                {
                    if (!element.ConstantValue.HasValue)
                    {
                        return null;
                    }
                }

                return ("a constant byte array", array.Initializer.ElementValues.Length);
            case IInvocationOperation { Arguments.Length: 1 } invocation
                when ConstantText(invocation.Arguments[0].Value, compilation, cancellationToken) is { } text &&
                     IsConstantDecoding(invocation.TargetMethod):
                int? length = invocation.TargetMethod.Name == "GetBytes" ? System.Text.Encoding.UTF8.GetByteCount(text) : null;
                return ("derived from a constant string", length);
            default:
                return null;
        }
    }

    /// <summary>The constant string the value can be, through the value flow, when there is one.</summary>
    private static string? ConstantText(IOperation operation, Compilation compilation, CancellationToken cancellationToken)
    {
        var texts = ValueFlow.Strings(operation);
        return texts.Count == 1 ? texts[0] : null;
    }

    private static bool IsByteArray(ITypeSymbol? type) =>
        type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte };

    /// <summary>Encoding.UTF8.GetBytes("..."), Convert.FromBase64String("..."), Convert.FromHexString("...").</summary>
    private static bool IsConstantDecoding(IMethodSymbol method) =>
        method.Name == "GetBytes" && method.ContainingType is { } encoding && IsEncoding(encoding) ||
        method.Name is "FromBase64String" or "FromHexString" && TypeNames.Is(method.ContainingType, "System", "Convert");

    private static bool IsEncoding(INamedTypeSymbol type)
    {
        for (var t = (ITypeSymbol?)type; t is not null; t = t.BaseType)
        {
            if (TypeNames.Is(t, "System.Text", "Encoding"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the local is used other than by being read into crypto inputs: passed to any other call (which may fill
    /// it, as RandomNumberGenerator.Fill or stream.Read do), written element by element, or used as a receiver.
    /// </summary>
    private static bool IsFilledOrPassedOn(IOperation anyInBody, ILocalSymbol local)
    {
        var root = anyInBody;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            // Through conversions and views: iv.AsSpan() handed on is the array handed on.
            IOperation current = operation;
            var parent = operation.Parent;
            while (true)
            {
                if (parent is IConversionOperation)
                {
                    current = parent;
                    parent = parent.Parent;
                }
                else if (parent is IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" } view && view.Instance == current)
                {
                    current = view;
                    parent = view.Parent;
                }
                else if (parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" } extension })
                {
                    current = extension;
                    parent = extension.Parent;
                }
                else
                {
                    break;
                }
            }

            switch (parent)
            {
                case IArgumentOperation argument when CryptoInputs.RoleOf(argument) is CryptoInputRole.IV or CryptoInputRole.Nonce or CryptoInputRole.Salt:
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } when CryptoInputs.RoleOf(property.Property) == CryptoInputRole.IV:
                case IVariableInitializerOperation:
                case IPropertyReferenceOperation { Property.Name: "Length" }:
                    continue;
                case ISimpleAssignmentOperation assignment when assignment.Target == operation:
                    continue;
                default:
                    return true;
            }
        }

        return false;
    }

    private static Origin? FieldOrigin(IFieldReferenceOperation reference, CryptoInputRole role, ISymbol? containingSymbol, Compilation compilation, CancellationToken cancellationToken)
    {
        var field = reference.Field;
        var initializer = FieldInitializer(field, compilation, cancellationToken);
        var constant = initializer is null ? null : Constant(UnwrapView(initializer), compilation, cancellationToken);
        if (constant is { } c && (field.IsReadOnly || field.IsConst) && (c.Description != "an all-zero array" || !IsWrittenInType(field, compilation, cancellationToken)))
        {
            var kind = field.IsStatic ? "the static readonly field '" : "the readonly field '";
            return new Origin(c.Description + ", from " + kind + field.Name + "', the same for every call", c.Length, FixValue);
        }

        if (role == CryptoInputRole.Salt || containingSymbol is not IMethodSymbol method || method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor)
        {
            return null;
        }

        // A nonce or IV kept in a field: unless this method refreshes it, every call encrypts under the same one.
        if (IsRefreshedIn(reference, field))
        {
            return null;
        }

        return new Origin("the field '" + field.Name + "', reused across calls without being refreshed in '" + method.Name + "'",
            constant?.Length, FixValue);
    }

    private static IOperation? FieldInitializer(IFieldSymbol field, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } value } &&
                compilation.ContainsSyntaxTree(value.SyntaxTree))
            {
                return compilation.GetSemanticModel(value.SyntaxTree).GetOperation(value, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>Whether a zero-initialized readonly field is filled somewhere in its type (a constructor filling it once).</summary>
    private static bool IsWrittenInType(IFieldSymbol field, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                continue;
            }

            var model = compilation.GetSemanticModel(syntax.SyntaxTree);
            foreach (var node in syntax.DescendantNodes())
            {
                if (node is ArgumentSyntax argument && argument.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax &&
                    argument.Parent?.Parent is InvocationExpressionSyntax &&
                    SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(argument.Expression, cancellationToken).Symbol, field) &&
                    model.GetOperation(argument, cancellationToken) is IArgumentOperation op &&
                    CryptoInputs.RoleOf(op) == CryptoInputRole.None)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The method assigns the field, or passes it to a call other than crypto inputs (Fill, GetBytes, an increment helper).</summary>
    private static bool IsRefreshedIn(IOperation anyInBody, IFieldSymbol field)
    {
        var root = anyInBody;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is IFieldReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Field, field))
            {
                var parent = operation.Parent;
                while (parent is IConversionOperation)
                {
                    parent = parent.Parent;
                }

                switch (parent)
                {
                    case IAssignmentOperation assignment when assignment.Target == operation:
                        return true;
                    case IArrayElementReferenceOperation { Parent: IAssignmentOperation or IIncrementOrDecrementOperation }:
                        return true;
                    case IArgumentOperation argument when CryptoInputs.RoleOf(argument) == CryptoInputRole.None:
                        return true;
                    case IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" } view when view.Parent is IArgumentOperation viewArgument &&
                                                                                                       CryptoInputs.RoleOf(viewArgument) == CryptoInputRole.None:
                        return true;
                }
            }
            else if (operation is IInvocationOperation { TargetMethod.Name: "GenerateIV" })
            {
                return true;
            }
        }

        return false;
    }
}
