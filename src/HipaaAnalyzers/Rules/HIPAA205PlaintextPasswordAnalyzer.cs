using System.Collections.Immutable;
using HipaaAnalyzers.Vocabulary;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Persistence;
using HipaaAnalyzers.Phi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA205: passwords kept as typed. A string property named as a password (<c>Password</c>, <c>UserPassword</c>,
/// <c>Pwd</c>; not <c>PasswordHash</c>, <c>PasswordSalt</c>, <c>HashedPassword</c>, <c>PasswordResetToken</c>) of an
/// entity that an EF Core DbContext stores; and such a stored password compared with <c>==</c>, <c>!=</c>,
/// <c>Equals</c> or <c>string.Compare</c> to another value, which is how a plain-text password is checked at sign-in.
/// DTOs and view models (not stored) stay quiet, and so do comparisons with constants (HIPAA202 and HIPAA304 cover those).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA205PlaintextPasswordAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PlaintextPassword);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Without EF Core there are no stored entities to look at. The references' names only: a type lookup at
            // compilation start would build the declaration table of every file before the edited one is bound.
            if (!ReferencedAssemblies.Contains(start.Compilation, "Microsoft.EntityFrameworkCore"))
            {
                return;
            }

            var entities = EntityModel.For(start.Compilation);
            start.RegisterSymbolAction(c => AnalyzeProperty(c, entities), SymbolKind.Property);
            start.RegisterOperationAction(c => AnalyzeBinary(c, entities), OperationKind.Binary);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, entities), OperationKind.Invocation);
        });
    }

    private static void AnalyzeProperty(SymbolAnalysisContext context, EntityModel entities)
    {
        var property = (IPropertySymbol)context.Symbol;
        if (property.IsStatic || property.SetMethod is null || property.Type.SpecialType != SpecialType.System_String ||
            !IsPasswordName(property.Name) || property.ContainingType is not { } owner || IsNotMapped(property) ||
            entities.FindStoringContext(owner, context.CancellationToken) is not { } storedBy ||
            entities.IsIgnored(property, context.CancellationToken))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.PlaintextPassword, property.Locations[0], Identify(property),
            $"'{owner.Name}.{property.Name}' holds a password and is stored by '{storedBy}' as it was typed: store a hash from PasswordHasher<T>.HashPassword instead"));
    }

    private static void AnalyzeBinary(OperationAnalysisContext context, EntityModel entities)
    {
        var binary = (IBinaryOperation)context.Operation;
        if (binary.OperatorKind is not (BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals) ||
            binary.LeftOperand.Type?.SpecialType != SpecialType.System_String)
        {
            return;
        }

        Check(context, entities, binary.LeftOperand, binary.RightOperand, binary.OperatorKind == BinaryOperatorKind.Equals ? "'=='" : "'!='");
    }

    /// <summary><c>a.Equals(b)</c>, <c>string.Equals(a, b)</c>, <c>string.Compare(a, b)</c>, <c>string.CompareOrdinal(a, b)</c>.</summary>
    private static void AnalyzeInvocation(OperationAnalysisContext context, EntityModel entities)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name is not ("Equals" or "Compare" or "CompareOrdinal") || method.ContainingType?.SpecialType != SpecialType.System_String)
        {
            return;
        }

        if (invocation.Instance is { } instance && invocation.Arguments.Length >= 1)
        {
            Check(context, entities, instance, invocation.Arguments[0].Value, "'" + method.Name + "'");
        }
        else if (invocation.Instance is null && invocation.Arguments.Length >= 2)
        {
            Check(context, entities, invocation.Arguments[0].Value, invocation.Arguments[1].Value, "'string." + method.Name + "'");
        }
    }

    private static void Check(OperationAnalysisContext context, EntityModel entities, IOperation left, IOperation right, string how)
    {
        var stored = StoredPassword(left, entities, context.CancellationToken) ?? StoredPassword(right, entities, context.CancellationToken);
        if (stored is null || IsConstant(left) || IsConstant(right))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.PlaintextPassword, context.Operation.Syntax.GetLocation(), Identify(stored),
            $"The stored password '{stored.ContainingType.Name}.{stored.Name}' is compared with {how} to another value, so it is kept in plain text: " +
            "verify with PasswordHasher<T>.VerifyHashedPassword against a stored hash"));
    }

    /// <summary>Which property holds the password, for the fix, which changes it and every use of it in the solution.</summary>
    private static ImmutableDictionary<string, string?> Identify(IPropertySymbol property) =>
        ImmutableDictionary<string, string?>.Empty
            .Add(EntityProperties.PropertyId, DocumentationCommentId.CreateDeclarationId(property.OriginalDefinition))
            .Add(EntityProperties.Assembly, property.ContainingAssembly?.Name);

    private static IPropertySymbol? StoredPassword(IOperation operation, EntityModel entities, System.Threading.CancellationToken cancellationToken)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation is IPropertyReferenceOperation { Property: { } property } &&
               property.Type.SpecialType == SpecialType.System_String && IsPasswordName(property.Name) &&
               !IsNotMapped(property) &&
               entities.FindStoringContext(property.ContainingType, cancellationToken) is not null
            ? property
            : null;
    }

    private static bool IsConstant(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation.ConstantValue.HasValue ||
               operation is IFieldReferenceOperation { Field: { IsStatic: true, Name: "Empty" } field } && field.ContainingType?.SpecialType == SpecialType.System_String;
    }

    /// <summary>
    /// A string named as a password kept as typed (Password, UserPassword, Pwd, Passwd, Passphrase, UserPass): not hashed,
    /// salted or encrypted, and not one being entered or changed (NewPassword, ConfirmPassword).
    /// </summary>
    internal static bool IsPasswordName(string name)
    {
        var security = SecurityNames.ClassifyString(name);
        return security.Kind == SecurityValue.Password && !security.IsProtected && !security.IsTransient;
    }

    private static bool IsNotMapped(IPropertySymbol property)
    {
        foreach (var attribute in property.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is "NotMappedAttribute" or "EncryptedAttribute")
            {
                return true;
            }
        }

        return false;
    }
}
