using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Vocabulary;
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
/// HIPAA107: password-based key derivation that is too cheap to resist guessing. PBKDF2 (Rfc2898DeriveBytes, its
/// Pbkdf2 one-shot, ASP.NET Core's KeyDerivation.Pbkdf2) with an HMAC-SHA1 or MD5 PRF, or with fewer iterations than
/// OWASP's minimums (600,000 for SHA-256, 210,000 for SHA-512), and PasswordDeriveBytes (PBKDF1) always.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA107WeakKeyDerivationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The option that sets the minimum iteration count for PBKDF2 with SHA-256.</summary>
    public const string MinIterationsKey = CryptoOptions.MinPbkdf2IterationsKey;

    public const int DefaultMinIterations = CryptoOptions.DefaultMinPbkdf2Iterations;

    /// <summary>OWASP's SHA-512 minimum relative to its SHA-256 minimum (210,000 / 600,000).</summary>
    private const double Sha512Ratio = 0.35;

    /// <summary>Diagnostic property: "Rfc2898DeriveBytes", "Pbkdf2", "KeyDerivation" or "PasswordDeriveBytes".</summary>
    public const string ApiProperty = "Api";

    /// <summary>Diagnostic property: the iteration count the fix writes when the count is too low.</summary>
    public const string IterationsProperty = "Iterations";

    /// <summary>Diagnostic property: "SHA256" when the PRF must change, otherwise absent.</summary>
    public const string PrfProperty = "Prf";

    /// <summary>Diagnostic property: present when the iteration count is too low or missing.</summary>
    public const string RaiseIterationsProperty = "RaiseIterations";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.WeakKeyDerivation);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationAction(Analyze, OperationKind.ObjectCreation, OperationKind.Invocation);
        context.RegisterOperationAction(AnalyzeIdentityOption, OperationKind.SimpleAssignment);
    }

    /// <summary>
    /// ASP.NET Core Identity's PasswordHasherOptions: IterationCount below the SHA-512 minimum (Identity V3 hashes with
    /// PBKDF2-HMAC-SHA512 since .NET 7), or CompatibilityMode = IdentityV2 (PBKDF2-HMAC-SHA1, 1,000 iterations). Set in a
    /// Configure lambda, an object initializer or on an instance alike.
    /// </summary>
    private static void AnalyzeIdentityOption(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: "IterationCount" or "CompatibilityMode" } property } ||
            !IsPasswordHasherOptions(property.ContainingType))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty.Add(ApiProperty, "PasswordHasherOptions");
        const string api = "PasswordHasherOptions";
        if (property.Name == "IterationCount")
        {
            if (SmallestInteger(assignment.Value) is not { } n)
            {
                return;
            }

            int required = (int)System.Math.Ceiling(MinIterations(context) * Sha512Ratio);
            if (n < required)
            {
                Report(context, properties, api + ".IterationCount", n.ToString("N0", CultureInfo.InvariantCulture) +
                    " iterations of HMAC-SHA512 (Identity V3); at least " + required.ToString("N0", CultureInfo.InvariantCulture) + " are required");
            }

            return;
        }

        var value = CryptoSymbols.SkipConversions(assignment.Value);
        bool v2 = value is IFieldReferenceOperation { Field.Name: "IdentityV2" } ||
                  value.ConstantValue is { HasValue: true, Value: 0 } && value.Type?.Name == "PasswordHasherCompatibilityMode";
        if (v2)
        {
            Report(context, properties, api + ".CompatibilityMode",
                "Identity V2 hashing: HMAC-SHA1 and 1,000 iterations; keep IdentityV3 (the default)");
        }
    }

    /// <summary>
    /// One round of a fast hash (SHA-256, SHA-384, SHA-512, SHA-3) over a password or PIN: <c>SHA256.HashData(...)</c>
    /// or <c>sha.ComputeHash(...)</c> whose input comes from a value named like a password, through
    /// <c>Encoding.GetBytes</c>, concatenation, locals and buffers the password is copied into. Not reported: hashes in
    /// a loop (hand-made stretching, not a single round), and a result handed on to another call (pre-hashing for
    /// bcrypt or a KDF). MD5 and SHA-1 of a password are HIPAA101's.
    /// </summary>
    private static void AnalyzePlainHash(OperationAnalysisContext context, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is not ("HashData" or "ComputeHash") || invocation.Arguments.Length == 0)
        {
            return;
        }

        var type = method.IsStatic ? method.ContainingType : invocation.Instance?.Type;
        if (!CryptoSymbols.DerivesFromCrypto(type, "HashAlgorithm") || CryptoSymbols.DerivesFromCrypto(type, "KeyedHashAlgorithm") ||
            CryptoAlgorithms.WeakHashOf(type) is not null)
        {
            return;
        }

        var input = invocation.Arguments[0].Value;
        var password = PasswordIn(input, input, 0);
        if (password is null || IsInLoop(invocation) || IsHandedOn(invocation))
        {
            return;
        }

        var algorithm = type!.Name.Replace("Managed", "").Replace("CryptoServiceProvider", "").Replace("Cng", "");
        algorithm = algorithm.StartsWith("SHA3_", System.StringComparison.Ordinal)
            ? "SHA3-" + algorithm.Substring(5)
            : algorithm.StartsWith("SHA", System.StringComparison.Ordinal) ? "SHA-" + algorithm.Substring(3) : algorithm;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(ApiProperty, "PlainHash");
        Report(context, properties, CryptoSymbols.Display(method),
            "a single round of " + algorithm + " over a password ('" + password + "'); fast hashes can be guessed billions of times a second, use PBKDF2 with at least " +
            MinIterations(context).ToString("N0", CultureInfo.InvariantCulture) + " iterations");
    }

    /// <summary>The name of the password the value is computed from, or null.</summary>
    private static string? PasswordIn(IOperation value, IOperation anyInBody, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        var operation = CryptoSymbols.SkipConversions(value);
        switch (operation)
        {
            case IParameterReferenceOperation parameter:
                return IsPasswordName(parameter.Parameter.Name) ? parameter.Parameter.Name : null;
            case IFieldReferenceOperation field:
                return IsPasswordName(field.Field.Name) ? field.Field.Name : null;
            case IPropertyReferenceOperation property:
                return IsPasswordName(property.Property.Name) ? property.Property.Name : null;
            case ILocalReferenceOperation local:
                if (IsPasswordName(local.Local.Name))
                {
                    return local.Local.Name;
                }

                foreach (var assigned in LocalAssignments.For(local).ValuesOf(local.Local))
                {
                    if (PasswordIn(assigned, anyInBody, depth + 1) is { } fromValue)
                    {
                        return fromValue;
                    }
                }

                return CopiedInto(local.Local, anyInBody, depth);
            case IInvocationOperation { TargetMethod.Name: "GetBytes" or "AsSpan" or "ToArray" or "Concat" or "Combine" or "ToCharArray" or "Trim" or "Normalize" } call:
                if (call.Instance is { } instance && call.TargetMethod.Name is not "GetBytes" && PasswordIn(instance, anyInBody, depth + 1) is { } fromInstance)
                {
                    return fromInstance;
                }

                foreach (var argument in call.Arguments)
                {
                    if (PasswordIn(argument.Value, anyInBody, depth + 1) is { } fromArgument)
                    {
                        return fromArgument;
                    }
                }

                return null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add:
                return PasswordIn(add.LeftOperand, anyInBody, depth + 1) ?? PasswordIn(add.RightOperand, anyInBody, depth + 1);
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation hole && PasswordIn(hole.Expression, anyInBody, depth + 1) is { } fromHole)
                    {
                        return fromHole;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>A buffer a password is copied into: <c>bytes.CopyTo(input, n)</c>, <c>Buffer.BlockCopy(bytes, 0, input, n, len)</c>.</summary>
    private static string? CopiedInto(ILocalSymbol buffer, IOperation anyInBody, int depth)
    {
        var root = anyInBody;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is not IInvocationOperation { TargetMethod.Name: "CopyTo" or "Copy" or "BlockCopy" } copy)
            {
                continue;
            }

            IOperation? source = null;
            bool intoBuffer = false;
            if (copy.TargetMethod.Name == "CopyTo")
            {
                source = copy.Instance ?? (copy.Arguments.Length > 1 ? copy.Arguments[0].Value : null);
                var destination = copy.Instance is null ? (copy.Arguments.Length > 1 ? copy.Arguments[1].Value : null) : (copy.Arguments.Length > 0 ? copy.Arguments[0].Value : null);
                intoBuffer = destination is not null && IsLocal(destination, buffer);
            }
            else
            {
                foreach (var argument in copy.Arguments)
                {
                    switch (argument.Parameter?.Name)
                    {
                        case "sourceArray" or "src":
                            source = argument.Value;
                            break;
                        case "destinationArray" or "dst":
                            intoBuffer = IsLocal(argument.Value, buffer);
                            break;
                    }
                }
            }

            if (intoBuffer && source is not null && PasswordIn(source, anyInBody, depth + 1) is { } password)
            {
                return password;
            }
        }

        return null;
    }

    private static bool IsLocal(IOperation operation, ILocalSymbol local)
    {
        operation = CryptoSymbols.SkipConversions(operation);
        if (operation is IInvocationOperation { TargetMethod.Name: "AsSpan" or "AsMemory" } view)
        {
            operation = CryptoSymbols.SkipConversions(view.Instance ?? (view.Arguments.Length > 0 ? view.Arguments[0].Value : operation));
        }

        return operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);
    }

    private static bool IsPasswordName(string name) => SecurityNames.Classify(name).Kind is SecurityValue.Password or SecurityValue.Pin;

    private static bool IsInLoop(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation)
            {
                return true;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The hash (through Convert / Encoding wrappers or a local) is an argument of another call: pre-hashing.</summary>
    private static bool IsHandedOn(IOperation hash)
    {
        var current = hash;
        for (int i = 0; i < 4; i++)
        {
            var parent = CryptoSymbols.ParentSkippingConversions(current, out _);
            switch (parent)
            {
                case IArgumentOperation { Parent: IInvocationOperation call } when IsEncodingCall(call.TargetMethod):
                    current = call;
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation call } when call.TargetMethod.Name is "FixedTimeEquals" or "SequenceEqual" or "Equals":
                    return false;
                case IArgumentOperation:
                    return true;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return LocalHandedOn(hash, declarator.Symbol);
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool LocalHandedOn(IOperation anyInBody, ILocalSymbol local)
    {
        var root = anyInBody;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) &&
                CryptoSymbols.ParentSkippingConversions(reference, out _) is IArgumentOperation { Parent: IInvocationOperation or IObjectCreationOperation } argument &&
                !(argument.Parent is IInvocationOperation call && (IsEncodingCall(call.TargetMethod) || call.TargetMethod.Name is "FixedTimeEquals" or "SequenceEqual" or "Equals")))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEncodingCall(IMethodSymbol method) =>
        method.ContainingType is { } type && (TypeNames.Is(type, "System", "Convert") || method.Name is "GetString" or "ToHexString" or "ToBase64String");

    private static bool IsPasswordHasherOptions(INamedTypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (TypeNames.Is(t, "Microsoft.AspNetCore.Identity", "PasswordHasherOptions"))
            {
                return true;
            }
        }

        return false;
    }

    private enum Prf
    {
        Unknown,
        Weak,
        Sha256,
        Sha512,
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        string api;
        IMethodSymbol? method;
        ImmutableArray<IArgumentOperation> arguments;
        switch (context.Operation)
        {
            case IObjectCreationOperation { Constructor: { } constructor } creation
                when constructor.ContainingType.Name is "Rfc2898DeriveBytes" or "PasswordDeriveBytes" &&
                     CryptoInputs.IsCryptoNamespace(constructor.ContainingType.ContainingNamespace):
                method = constructor;
                arguments = creation.Arguments;
                api = constructor.ContainingType.Name;
                break;
            case IInvocationOperation { TargetMethod: { Name: "Pbkdf2", IsStatic: true } target } invocation
                when target.ContainingType.Name is "Rfc2898DeriveBytes" or "KeyDerivation" &&
                     CryptoInputs.IsCryptoNamespace(target.ContainingType.ContainingNamespace):
                method = target;
                arguments = invocation.Arguments;
                api = target.ContainingType.Name == "KeyDerivation" ? "KeyDerivation" : "Pbkdf2";
                break;
            case IInvocationOperation plain:
                AnalyzePlainHash(context, plain);
                return;
            default:
                return;
        }

        var apiName = CryptoSymbols.Display(method);
        var properties = ImmutableDictionary<string, string?>.Empty.Add(ApiProperty, api);
        if (api == "PasswordDeriveBytes")
        {
            properties = properties
                .Add(IterationsProperty, MinIterations(context).ToString(CultureInfo.InvariantCulture))
                .Add(PrfProperty, "SHA256");
            Report(context, properties, apiName, "PBKDF1 (PasswordDeriveBytes), which is obsolete and limited to the output size of its hash");
            return;
        }

        IOperation? iterationsArgument = null;
        IOperation? prfArgument = null;
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is null)
            {
                continue;
            }

            switch (argument.Parameter.Name)
            {
                case "iterations":
                case "iterationCount":
                    iterationsArgument = argument.Value;
                    break;
                case "hashAlgorithm":
                case "prf":
                    prfArgument = argument.Value;
                    break;
            }
        }

        // Rfc2898DeriveBytes without a count or hash uses 1,000 iterations of HMAC-SHA1.
        var prf = prfArgument is null ? (api == "Rfc2898DeriveBytes" ? Prf.Weak : Prf.Unknown) : PrfOf(prfArgument, context.Compilation, context.CancellationToken);
        int? iterations = iterationsArgument is null
            ? (api == "Rfc2898DeriveBytes" ? 1000 : null)
            : SmallestInteger(iterationsArgument);

        int minimum = MinIterations(context);
        int required = prf == Prf.Sha512 ? (int)System.Math.Ceiling(minimum * Sha512Ratio) : minimum;
        string prfText = prfArgument is null ? "HMAC-SHA1 (the default)" : "HMAC-" + PrfName(prfArgument);
        string iterationText = iterationsArgument is null
            ? "1,000 iterations (the default)"
            : iterations?.ToString("N0", CultureInfo.InvariantCulture) + " iterations";

        if (prf == Prf.Weak)
        {
            // After the switch to SHA-256, the count must meet the SHA-256 minimum.
            properties = properties.Add(PrfProperty, "SHA256");
            if (iterationsArgument is null || iterations < minimum)
            {
                properties = properties.Add(RaiseIterationsProperty, "true");
            }

            properties = properties.Add(IterationsProperty, minimum.ToString(CultureInfo.InvariantCulture));
            var count = iterations is null && iterationsArgument is not null ? "" : " and " + iterationText;
            Report(context, properties, apiName, prfText + count + "; SHA-1 is being retired by NIST, use SHA-256 with at least " +
                minimum.ToString("N0", CultureInfo.InvariantCulture) + " iterations");
            return;
        }

        if (iterations is { } n && n < (prf == Prf.Unknown ? (int)System.Math.Ceiling(minimum * Sha512Ratio) : required))
        {
            properties = properties
                .Add(RaiseIterationsProperty, "true")
                .Add(IterationsProperty, required.ToString(CultureInfo.InvariantCulture));
            var needed = prf == Prf.Unknown
                ? ((int)System.Math.Ceiling(minimum * Sha512Ratio)).ToString("N0", CultureInfo.InvariantCulture) + " (SHA-512) or " +
                  minimum.ToString("N0", CultureInfo.InvariantCulture) + " (SHA-256)"
                : required.ToString("N0", CultureInfo.InvariantCulture);
            Report(context, properties, apiName, iterationText + (prf == Prf.Unknown ? "" : " of " + prfText) + "; at least " +
                needed + " are required");
        }
    }

    private static void Report(OperationAnalysisContext context, ImmutableDictionary<string, string?> properties, string api, string what) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.WeakKeyDerivation, context.Operation.Syntax.GetLocation(), properties, api, what));

    /// <summary>The configured SHA-256 minimum; a missing or unusable value gives the default (and HIPAA900 reports it).</summary>
    private static int MinIterations(OperationAnalysisContext context) =>
        CryptoOptions.Read(context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Operation.Syntax.SyntaxTree)).MinPbkdf2Iterations;


    private static string PrfName(IOperation prf)
    {
        var name = NameOf(prf);
        return name switch
        {
            null => "?",
            _ when name.StartsWith("HMAC", System.StringComparison.Ordinal) => name.Substring(4),
            _ => name,
        };
    }

    private static string? NameOf(IOperation operation, int depth = 0)
    {
        operation = CryptoSymbols.SkipConversions(operation);
        switch (operation)
        {
            case IPropertyReferenceOperation property:
                return property.Property.Name;
            case IFieldReferenceOperation field:
                return field.Field.Name;
            case IObjectCreationOperation { Arguments.Length: 1 } creation
                when creation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name }:
                return name;
            case ILocalReferenceOperation local when depth < 4:
                var values = LocalAssignments.For(local).ValuesOf(local.Local);
                return values.Count == 1 ? NameOf(values[0], depth + 1) : null;
            default:
                return null;
        }
    }

    private static Prf PrfOf(IOperation operation, Compilation compilation, CancellationToken cancellationToken)
    {
        var unwrapped = CryptoSymbols.SkipConversions(operation);
        if (unwrapped.ConstantValue is { HasValue: true, Value: int prfValue } && unwrapped.Type?.Name == "KeyDerivationPrf")
        {
            return prfValue switch
            {
                0 => Prf.Weak,
                1 => Prf.Sha256,
                2 => Prf.Sha512,
                _ => Prf.Unknown,
            };
        }

        return NameOf(operation) switch
        {
            "SHA1" or "MD5" or "HMACSHA1" => Prf.Weak,
            "SHA256" or "SHA3_256" or "HMACSHA256" => Prf.Sha256,
            "SHA384" or "SHA512" or "SHA3_384" or "SHA3_512" or "HMACSHA512" => Prf.Sha512,
            _ => Prf.Unknown,
        };
    }

    /// <summary>The smallest int constant the value can be, through the value flow (locals, branches, parameters, fields, returns).</summary>
    private static int? SmallestInteger(IOperation operation)
    {
        int? smallest = null;
        foreach (var value in ValueFlow.Integers(operation))
        {
            if (smallest is null || value < smallest)
            {
                smallest = value;
            }
        }

        return smallest;
    }
}
