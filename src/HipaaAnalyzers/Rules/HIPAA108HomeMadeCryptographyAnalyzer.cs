using System.Collections.Generic;
using System.Collections.Immutable;
using HipaaAnalyzers.Vocabulary;
using HipaaAnalyzers.Cryptography;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA108: "encryption" that is not: XOR of data with a key or a constant, Base64 of plaintext presented as
/// encryption, Caesar shifts and character substitution tables. Hashing, checksums, parity and bit flags use XOR
/// too and stay quiet, as does Base64 of the output of real cryptography.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA108HomeMadeCryptographyAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: "Encrypt" or "Decrypt", what the method the finding is in does.</summary>
    public const string DirectionProperty = "Direction";

    private static readonly HashSet<string> EncryptWords = new(System.StringComparer.Ordinal)
    {
        "encrypt", "encrypted", "encipher", "cipher", "obfuscate", "obfuscated", "scramble", "crypt",
    };

    private static readonly HashSet<string> DecryptWords = new(System.StringComparer.Ordinal)
    {
        "decrypt", "decrypted", "decipher", "deobfuscate", "unscramble", "decrypter", "decryptor",
    };

    /// <summary>Names of values that hold ciphertext: "encryptedSsn", "cipherText", "ObfuscatedNote".</summary>
    private static readonly HashSet<string> CiphertextWords = new(System.StringComparer.Ordinal)
    {
        "encrypted", "cipher", "ciphertext", "ciphered", "obfuscated", "scrambled", "enc",
    };

    /// <summary>Where XOR is arithmetic, not encryption: hashes, checksums, parity, random number generators.</summary>
    private static readonly HashSet<string> MixingWords = new(System.StringComparer.Ordinal)
    {
        "hash", "hashes", "hashcode", "hasher", "checksum", "crc", "crc32", "crc16", "parity", "fnv", "murmur", "combine",
        "mix", "mixer", "xxhash", "adler", "fletcher", "bloom", "random", "rng", "xorshift", "seed", "prng", "ecc", "lrc",
        "toggle", "flags", "flag", "bits", "mask", "gray", "diff", "delta", "swap",
    };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.HomeMadeCryptography);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(
            AnalyzeCandidate,
            OperationKind.Binary, OperationKind.CompoundAssignment, OperationKind.Invocation, OperationKind.Conversion, OperationKind.PropertyReference);
    }

    private sealed class Scope
    {
        public Scope(ISymbol owner, bool realCryptography)
        {
            Name = owner is IMethodSymbol { AssociatedSymbol: { } property } ? property.Name : owner.Name;
            RealCryptography = realCryptography;
            var words = IdentifierWords.Split(Name);
            foreach (var word in words)
            {
                Decrypts |= DecryptWords.Contains(word);
                Encrypts |= EncryptWords.Contains(word);
                Mixing |= MixingWords.Contains(word);
            }

            Encrypts &= !Decrypts;
            for (var type = owner.ContainingType; type is not null; type = type.ContainingType)
            {
                foreach (var word in IdentifierWords.Split(type.Name))
                {
                    Mixing |= MixingWords.Contains(word);
                }
            }
        }

        public string Name { get; }
        public bool Encrypts { get; }
        public bool Decrypts { get; }
        public bool CipherMethod => Encrypts || Decrypts;
        public bool Mixing { get; }
        public bool RealCryptography { get; }
    }

    private static bool UsesRealCryptography(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        if (CryptoInputs.IsCryptoNamespace(type.ContainingNamespace) && type.Name != "RandomNumberGenerator")
        {
            return true;
        }

        // The runtime's field encryption and ASP.NET Core Data Protection.
        return type.Name is "FieldEncryptor" or "IDataProtector" or "DataProtectionCommonExtensions" or "ITimeLimitedDataProtector";
    }

    /// <summary>Operations that could be home-made cryptography; cheap tests only, most operations stop here.</summary>
    private static bool IsCandidate(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.TargetMethod.Name switch
        {
            "ToBase64String" or "FromBase64String" => TypeNames.Is(invocation.TargetMethod.ContainingType, "System", "Convert"),
            "TryGetValue" => IsCharToCharMap(invocation.Instance?.Type),
            "IndexOf" => IsCharLookup(invocation),
            _ => false,
        },
        IBinaryOperation { OperatorKind: BinaryOperatorKind.ExclusiveOr } xor => IsIntegral(xor.LeftOperand.Type) && IsIntegral(xor.RightOperand.Type),
        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.ExclusiveOr } compound => IsIntegral(compound.Target.Type) && IsIntegral(compound.Value.Type),
        IConversionOperation { IsImplicit: false, Type.SpecialType: SpecialType.System_Char } conversion => IsCharArithmetic(conversion.Operand),
        IPropertyReferenceOperation { Property.IsIndexer: true } indexer => IsCharToCharMap(indexer.Instance?.Type),
        _ => false,
    };

    private static void AnalyzeCandidate(OperationAnalysisContext context)
    {
        var operation = context.Operation;
        if (!IsCandidate(operation) || context.ContainingSymbol is not { } owner)
        {
            return;
        }

        var root = operation;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        bool realCryptography = false;
        foreach (var descendant in root.Descendants())
        {
            if (descendant is IInvocationOperation invocation && UsesRealCryptography(invocation.TargetMethod) ||
                descendant is IObjectCreationOperation { Constructor: { } constructor } && UsesRealCryptography(constructor))
            {
                realCryptography = true;
                break;
            }
        }

        var scope = new Scope(owner, realCryptography);
        var finding = Check(operation, scope);
        if (finding is null)
        {
            return;
        }

        // One finding per method: the first place it rolls its own cipher.
        foreach (var earlier in root.Descendants())
        {
            if (earlier.Syntax.SpanStart < operation.Syntax.SpanStart && earlier != operation && IsCandidate(earlier) && Check(earlier, scope) is not null)
            {
                return;
            }
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (scope.CipherMethod)
        {
            properties = properties.Add(DirectionProperty, scope.Decrypts ? "Decrypt" : "Encrypt");
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.HomeMadeCryptography, operation.Syntax.GetLocation(), properties, scope.Name, finding));
    }

    private static string? Check(IOperation operation, Scope scope)
    {
        switch (operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ExclusiveOr } xor:
                return Xor(xor, xor.LeftOperand, xor.RightOperand, null, scope);
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.ExclusiveOr } compound:
                return Xor(compound, compound.Target, compound.Value, compound.Target, scope);
            case IInvocationOperation invocation when TypeNames.Is(invocation.TargetMethod.ContainingType, "System", "Convert"):
                return Base64(invocation, scope);
            case IConversionOperation { IsImplicit: false } conversion when scope.CipherMethod && !scope.RealCryptography &&
                                                                              conversion.Type?.SpecialType == SpecialType.System_Char &&
                                                                              IsCharArithmetic(conversion.Operand):
                return "shifts characters (a Caesar cipher)";
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when scope.CipherMethod && !scope.RealCryptography &&
                                                                                     IsCharToCharMap(indexer.Instance?.Type):
                return "substitutes characters from a table";
            case IInvocationOperation { TargetMethod.Name: "TryGetValue" } lookup when scope.CipherMethod && !scope.RealCryptography &&
                                                                                     IsCharToCharMap(lookup.Instance?.Type):
                return "substitutes characters from a table";
            case IInvocationOperation { TargetMethod.Name: "IndexOf" } position when scope.CipherMethod && !scope.RealCryptography &&
                                                                                  IsCharLookup(position):
                // alphabet.IndexOf(c), then the character at that position in a shuffled alphabet.
                return "substitutes characters from a table";
            default:
                return null;
        }
    }

    private static string? Xor(IOperation xor, IOperation left, IOperation right, IOperation? target, Scope scope)
    {
        if (scope.Mixing || scope.RealCryptography || !IsIntegral(left.Type) || !IsIntegral(right.Type))
        {
            return null;
        }

        if (target is not null && NameOf(target) is { } targetName && HasAny(targetName, MixingWords))
        {
            return null;
        }

        var l = CryptoSymbols.SkipConversions(left);
        var r = CryptoSymbols.SkipConversions(right);
        bool leftConstant = l.ConstantValue.HasValue, rightConstant = r.ConstantValue.HasValue;
        if (leftConstant && rightConstant)
        {
            return null;
        }

        if (!leftConstant && !rightConstant && (IsKeyValue(l) || IsKeyValue(r)))
        {
            return "XORs the data with a key";
        }

        if (scope.CipherMethod)
        {
            return leftConstant || rightConstant ? "XORs the data with a constant" : "XORs the data with another value";
        }

        return AssignedToCiphertext(xor) ? "XORs the data to make a ciphertext" : null;
    }

    private static bool IsIntegral(ITypeSymbol? type) =>
        type is not null && type.TypeKind != TypeKind.Enum && type.SpecialType is
            SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char or SpecialType.System_Int16 or
            SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or
            SpecialType.System_UInt64;

    /// <summary>key[i % key.Length], a key-, secret- or password-named value, or an element of one.</summary>
    private static bool IsKeyValue(IOperation operation)
    {
        operation = CryptoSymbols.SkipConversions(operation);
        switch (operation)
        {
            case IArrayElementReferenceOperation element:
                if (element.Indices.Length == 1 && CryptoSymbols.SkipConversions(element.Indices[0]) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Remainder } remainder &&
                    CryptoSymbols.SkipConversions(remainder.RightOperand) is IPropertyReferenceOperation { Property.Name: "Length" or "Count" })
                {
                    return true;
                }

                return IsKeyValue(element.ArrayReference);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer:
                if (indexer.Arguments.Length == 1 && CryptoSymbols.SkipConversions(indexer.Arguments[0].Value) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Remainder } modulo &&
                    CryptoSymbols.SkipConversions(modulo.RightOperand) is IPropertyReferenceOperation { Property.Name: "Length" or "Count" })
                {
                    return true;
                }

                return IsKeyValue(instance);
            default:
                // A byte or char named key is key material; an int named key is a hash table's key.
                var type = operation.Type;
                bool keySized = type is IArrayTypeSymbol || type?.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Char;
                return NameOf(operation) is { } name &&
                       SecurityNames.Classify(name, keySized ? null : type).Kind is SecurityValue.Key or SecurityValue.ApiKey or SecurityValue.Secret or SecurityValue.Password;
        }
    }

    private static string? NameOf(IOperation operation) => CryptoSymbols.SkipConversions(operation) switch
    {
        ILocalReferenceOperation local => local.Local.Name,
        IParameterReferenceOperation parameter => parameter.Parameter.Name,
        IFieldReferenceOperation field => field.Field.Name,
        IPropertyReferenceOperation { Property.IsIndexer: false } property => property.Property.Name,
        IArrayElementReferenceOperation element => NameOf(element.ArrayReference),
        _ => null,
    };

    private static bool HasAny(string identifier, HashSet<string> words)
    {
        foreach (var word in IdentifierWords.Split(identifier))
        {
            if (words.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The value is stored into (or declared as) something named like ciphertext: encrypted[i] = (byte)(b ^ k).</summary>
    private static bool AssignedToCiphertext(IOperation value)
    {
        var current = value;
        while (current.Parent is IConversionOperation)
        {
            current = current.Parent;
        }

        switch (current.Parent)
        {
            case IAssignmentOperation assignment when assignment.Value == current:
                return NameOf(assignment.Target) is { } name && HasAny(name, CiphertextWords);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return HasAny(declarator.Symbol.Name, CiphertextWords);
            case IPropertyInitializerOperation initializer:
                foreach (var property in initializer.InitializedProperties)
                {
                    if (HasAny(property.Name, CiphertextWords))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static string? Base64(IInvocationOperation invocation, Scope scope)
    {
        if (invocation.Arguments.Length == 0)
        {
            return null;
        }

        var method = invocation.TargetMethod.Name;
        if (method == "ToBase64String" && IsPlaintext(invocation.Arguments[0].Value) &&
            (scope.Encrypts || AssignedToCiphertext(invocation)))
        {
            return "only Base64-encodes the data";
        }

        if (method == "FromBase64String" && scope.Decrypts && !scope.RealCryptography && FeedsTextDecoding(invocation))
        {
            return "only Base64-decodes the data";
        }

        return null;
    }

    /// <summary>Bytes of the plaintext itself: Encoding.GetBytes(text), a byte[] parameter, or a local holding either.</summary>
    private static bool IsPlaintext(IOperation operation, int depth = 0)
    {
        operation = CryptoSymbols.SkipConversions(operation);
        switch (operation)
        {
            case IInvocationOperation { TargetMethod.Name: "GetBytes" } getBytes when IsEncoding(getBytes.TargetMethod.ContainingType):
                return true;
            case IParameterReferenceOperation parameter:
                return parameter.Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte };
            case ILocalReferenceOperation local when depth < 3:
                var values = LocalAssignments.For(local).ValuesOf(local.Local);
                return values.Count == 1 && IsPlaintext(values[0], depth + 1);
            default:
                return false;
        }
    }

    private static bool IsEncoding(ITypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (TypeNames.Is(t, "System.Text", "Encoding"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Convert.FromBase64String(x) whose bytes go straight to Encoding.GetString, directly or through a local.</summary>
    private static bool FeedsTextDecoding(IInvocationOperation fromBase64)
    {
        var current = (IOperation)fromBase64;
        while (current.Parent is IConversionOperation)
        {
            current = current.Parent;
        }

        if (current.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "GetString" } decode } &&
            IsEncoding(decode.TargetMethod.ContainingType))
        {
            return true;
        }

        return false;
    }

    /// <summary>(char)(c + shift), (char)((c - 'a' + 3) % 26 + 'a'): arithmetic on a character.</summary>
    private static bool IsCharArithmetic(IOperation operation)
    {
        operation = CryptoSymbols.SkipConversions(operation);
        if (operation is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Remainder } binary)
        {
            return false;
        }

        return HasCharLeaf(binary, 0);
    }

    private static bool HasCharLeaf(IOperation operation, int depth)
    {
        if (depth > 6)
        {
            return false;
        }

        if (operation is IConversionOperation conversion)
        {
            return conversion.Operand.Type?.SpecialType == SpecialType.System_Char && !conversion.Operand.ConstantValue.HasValue ||
                   HasCharLeaf(conversion.Operand, depth + 1);
        }

        if (operation is IBinaryOperation binary)
        {
            return HasCharLeaf(binary.LeftOperand, depth + 1) || HasCharLeaf(binary.RightOperand, depth + 1);
        }

        return operation.Type?.SpecialType == SpecialType.System_Char && !operation.ConstantValue.HasValue;
    }

    /// <summary>alphabet.IndexOf(c) or Array.IndexOf(alphabet, c) with a character c that is not a constant.</summary>
    private static bool IsCharLookup(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            var value = CryptoSymbols.SkipConversions(argument.Value);
            if (value.Type?.SpecialType == SpecialType.System_Char && !value.ConstantValue.HasValue)
            {
                return invocation.Instance?.Type?.SpecialType == SpecialType.System_String ||
                       invocation.Instance is null && TypeNames.Is(invocation.TargetMethod.ContainingType, "System", "Array");
            }
        }

        return false;
    }

    private static bool IsCharToCharMap(ITypeSymbol? type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 2 } named &&
        named.TypeArguments[0].SpecialType == SpecialType.System_Char &&
        named.TypeArguments[1].SpecialType == SpecialType.System_Char;
}
