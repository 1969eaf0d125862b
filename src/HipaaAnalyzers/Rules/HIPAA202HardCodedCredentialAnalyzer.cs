using System;
using System.Collections.Immutable;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Vocabulary;
using HipaaAnalyzers.Configuration;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using static HipaaAnalyzers.Secrets.SecretFixData.HardCodedCredential;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA202: a password or secret written into the code: connection strings and connection URLs with a password,
/// password- and secret-named fields, properties, locals, parameters and configuration keys given a literal
/// (<c>Password = "hunter2"</c>, <c>new NetworkCredential("u", "hunter2")</c>), basic-auth and bearer header values.
/// Labels, prompts, messages, routes, configuration keys and placeholders stay quiet.
/// Test projects are left alone unless <c>hipaa_analyzers.secrets_in_test_projects = true</c> (see <see cref="TestProjects"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA202HardCodedCredentialAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.HardCodedCredential);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Test projects hold throwaway credentials: the rule stays out of them unless asked in (TestProjects).
            if (!TestProjects.SecretsRulesApply(start.Compilation, start.Options))
            {
                return;
            }

            // appsettings*.json and web*.config, which the package adds as additional files.
            SettingsSecretsRule.Register(start, Descriptors.HardCodedCredential, SettingsSecretsRule.Credential);
            start.RegisterOperationAction(AnalyzeLiteral, OperationKind.Literal);
            start.RegisterOperationAction(AnalyzeDeclarator, OperationKind.VariableDeclarator);
            start.RegisterOperationAction(AnalyzeFieldInitializer, OperationKind.FieldInitializer);
            start.RegisterOperationAction(AnalyzePropertyInitializer, OperationKind.PropertyInitializer);
            start.RegisterOperationAction(AnalyzeParameterInitializer, OperationKind.ParameterInitializer);
            start.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
            start.RegisterOperationAction(AnalyzeArgument, OperationKind.Argument);
            start.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeLiteral(OperationAnalysisContext context)
    {
        var literal = (ILiteralOperation)context.Operation;
        if (literal.ConstantValue is not { HasValue: true, Value: string text } || text.Length < 8)
        {
            return;
        }

        if (Credentials.HasConnectionStringPassword(text) || Credentials.HasUrlPassword(text))
        {
            var key = ConfigurationKeys.ForConnectionString(NameOfTarget(literal));
            Report(context, literal, KindConnectionString, key, "a connection string");
        }
        else if (Credentials.IsAuthorizationValue(text))
        {
            var bearer = text.TrimStart().StartsWith("Bearer", StringComparison.OrdinalIgnoreCase);
            Report(context, literal, KindAuthorization,
                bearer ? "Authentication:BearerToken" : "Authentication:BasicCredentials", "an Authorization header");
        }
    }

    private static void AnalyzeDeclarator(OperationAnalysisContext context)
    {
        var declarator = (IVariableDeclaratorOperation)context.Operation;
        var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
        if (initializer is not null)
        {
            CheckNamed(context, declarator.Symbol.Name, null, initializer.Value, "'" + declarator.Symbol.Name + "'");
        }
    }

    private static void AnalyzeFieldInitializer(OperationAnalysisContext context)
    {
        var initializer = (IFieldInitializerOperation)context.Operation;
        foreach (var field in initializer.InitializedFields)
        {
            CheckNamed(context, field.Name, field.ContainingType?.Name, initializer.Value, "'" + field.Name + "'");
        }
    }

    private static void AnalyzePropertyInitializer(OperationAnalysisContext context)
    {
        var initializer = (IPropertyInitializerOperation)context.Operation;
        foreach (var property in initializer.InitializedProperties)
        {
            CheckNamed(context, property.Name, property.ContainingType?.Name, initializer.Value, "'" + property.Name + "'");
        }
    }

    /// <summary><c>void Connect(string password = "admin")</c>: a default every caller that leaves it out uses.</summary>
    private static void AnalyzeParameterInitializer(OperationAnalysisContext context)
    {
        var initializer = (IParameterInitializerOperation)context.Operation;
        var parameter = initializer.Parameter;
        CheckNamed(context, parameter.Name, null, initializer.Value, "the default of the '" + parameter.Name + "' parameter");
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        switch (assignment.Target)
        {
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer:
                // settings["Db:Password"] = "...": an in-memory configuration or dictionary entry.
                if (indexer.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string key })
                {
                    CheckNamed(context, key, null, assignment.Value, "'" + key + "'");
                }

                break;
            case IPropertyReferenceOperation { Property: var property }:
                CheckNamed(context, property.Name, property.ContainingType?.Name, assignment.Value, "'" + property.Name + "'");
                break;
            case IFieldReferenceOperation { Field: var field }:
                CheckNamed(context, field.Name, field.ContainingType?.Name, assignment.Value, "'" + field.Name + "'");
                break;
            case ILocalReferenceOperation { Local: var local }:
                CheckNamed(context, local.Name, null, assignment.Value, "'" + local.Name + "'");
                break;
        }
    }

    private static void AnalyzeArgument(OperationAnalysisContext context)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.Parameter is not { } parameter || argument.ArgumentKind == ArgumentKind.DefaultValue)
        {
            return;
        }

        // Both checks below need a parameter named for a secret or a connection string; most arguments are neither, and
        // their message is not put together.
        if (!SecurityNames.HoldsSignInSecret(parameter.Name) && !NamesConnectionString(parameter.Name))
        {
            return;
        }

        var method = parameter.ContainingSymbol as IMethodSymbol;
        var owner = method is null ? "" : method.MethodKind == MethodKind.Constructor ? method.ContainingType.Name : method.Name;
        var target = "the '" + parameter.Name + "' parameter of '" + owner + "'";
        CheckNamed(context, parameter.Name, null, argument.Value, target);
        CheckFlow(context, parameter, argument.Value, target);
    }

    /// <summary>
    /// A password or connection string that reaches a password or connection string parameter through the code's own
    /// flow: a local assigned a literal in another statement, a field, a method's return value, a parameter whose callers
    /// pass one, an array or collection item (<c>new NetworkCredential("user", data)</c> after <c>data = "7e5tc4s3"</c>).
    /// Reported at the argument. Literals and constants are judged where they are written, and a value held by a
    /// password-named field or local is reported where it is assigned, so nothing is reported twice.
    /// </summary>
    private static void CheckFlow(OperationAnalysisContext context, IParameterSymbol parameter, IOperation value, string target)
    {
        // Only where the credential is handed to a library (NetworkCredential, SqlConnection, UseNpgsql ...): a method of
        // the application's own is a step on the way, judged where the value finally goes.
        if (parameter.Type.SpecialType != SpecialType.System_String || !parameter.ContainingSymbol.DeclaringSyntaxReferences.IsEmpty)
        {
            return;
        }

        bool password = SecurityNames.HoldsSignInSecret(parameter.Name);
        bool connectionString = NamesConnectionString(parameter.Name);
        if (!password && !connectionString)
        {
            return;
        }

        var unwrapped = value;
        while (unwrapped is IConversionOperation conversion)
        {
            unwrapped = conversion.Operand;
        }

        if (unwrapped.ConstantValue.HasValue || HardCodedValues.Find(unwrapped) is not { Text: { } text } found ||
            found.Symbol is { } holder && SecurityNames.HoldsSignInSecret(holder.Name))
        {
            return;
        }

        if (connectionString && (Credentials.HasConnectionStringPassword(text) || Credentials.HasUrlPassword(text)))
        {
            // A connection string written whole in one literal is reported at that literal.
            if (found.Description != "a string literal")
            {
                Report(context, unwrapped, KindConnectionString, ConfigurationKeys.ForConnectionString(found.Symbol?.Name), "a connection string");
            }
        }
        else if (password && !Credentials.IsPlaceholder(text) && Credentials.LooksLikeSecretValue(text, parameter.Name))
        {
            Report(context, unwrapped, KindPassword, ConfigurationKeys.ForSecret(parameter.Name, null), target);
        }
    }

    private static bool NamesConnectionString(string parameterName) =>
        parameterName.IndexOf("connectionString", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary><c>new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:password")))</c>.</summary>
    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Arguments.Length != 2 ||
            !TypeNames.Is(creation.Type, "System.Net.Http.Headers.AuthenticationHeaderValue") ||
            creation.Arguments[0].Value.ConstantValue is not { HasValue: true, Value: string scheme } ||
            !(scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        var value = creation.Arguments[1].Value;
        if (HardCodedValues.Find(value) is not null)
        {
            var bearer = scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
            Report(context, value, KindAuthorizationParameter,
                bearer ? "Authentication:BearerToken" : "Authentication:BasicCredentials", "an Authorization header");
        }
    }

    private static void CheckNamed(OperationAnalysisContext context, string name, string? containingTypeName, IOperation value, string target)
    {
        if (!SecurityNames.HoldsSignInSecret(name))
        {
            return;
        }

        var unwrapped = value;
        while (unwrapped is IConversionOperation conversion)
        {
            unwrapped = conversion.Operand;
        }

        if (unwrapped.ConstantValue is not { HasValue: true, Value: string text } || !Credentials.LooksLikeSecretValue(text, name))
        {
            return;
        }

        // A secret-named constant passed on is reported where it is declared, and a connection string or header
        // value where it is written.
        if (unwrapped is IFieldReferenceOperation { Field.Name: var fieldName } && SecurityNames.HoldsSignInSecret(fieldName) ||
            unwrapped is ILocalReferenceOperation { Local.Name: var localName } && SecurityNames.HoldsSignInSecret(localName) ||
            unwrapped is ILiteralOperation && (Credentials.HasConnectionStringPassword(text) || Credentials.HasUrlPassword(text) || Credentials.IsAuthorizationValue(text)))
        {
            return;
        }

        Report(context, unwrapped, KindPassword, ConfigurationKeys.ForSecret(name, containingTypeName), target);
    }

    private static void Report(OperationAnalysisContext context, IOperation value, string kind, string configurationKey, string target)
    {
        if (TestProjects.IsDesignTimeOnly(context.ContainingSymbol))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(KindProperty, kind)
            .Add(ConfigurationKeys.Property, configurationKey);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.HardCodedCredential, value.Syntax.GetLocation(), properties, target));
    }

    /// <summary>The field, property or local a literal initializes or is assigned to, for naming the configuration key.</summary>
    private static string? NameOfTarget(IOperation literal)
    {
        var parent = literal.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return declarator.Symbol.Name;
            case IFieldInitializerOperation { InitializedFields.Length: > 0 } fields:
                return fields.InitializedFields[0].Name;
            case IPropertyInitializerOperation { InitializedProperties.Length: > 0 } properties:
                return properties.InitializedProperties[0].Name;
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation field }:
                return field.Field.Name;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local }:
                return local.Local.Name;
            default:
                return null;
        }
    }
}
