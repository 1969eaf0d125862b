using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using HipaaAnalyzers.Flow;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

// The application's role assignments and patient-facing controllers live in any file of the compilation.
#pragma warning disable RS1030

namespace HipaaAnalyzers.Phi;

/// <summary>
/// The ASP.NET Core Identity user types that hold patients' accounts in this application, found from what the
/// application does with them rather than from their name (most apps have one <c>ApplicationUser</c> for staff and
/// patients alike):
/// <list type="bullet">
/// <item>it puts such a user in a patient role: <c>AddToRoleAsync(user, "Patient")</c>, <c>AddToRolesAsync(user, new[]
/// { Roles.Patient })</c>, the role a constant;</item>
/// <item>a controller, page model or action for the patient role (<c>[Authorize(Roles = "Patient")]</c>) works with the
/// signed-in user through <c>UserManager&lt;T&gt;</c> or <c>SignInManager&lt;T&gt;</c>.</item>
/// </list>
/// Found once per compilation, reading only the files whose text mentions <c>AddToRole</c> or <c>Roles</c>.
/// </summary>
internal static class PatientAccounts
{
    private const string IdentityNamespace = "Microsoft.AspNetCore.Identity";

    /// <summary>The user types (original definitions) of patients' accounts; <paramref name="namesPatient"/> judges a role's name.</summary>
    public static HashSet<INamedTypeSymbol> Find(Compilation compilation, Func<string, bool> namesPatient, CancellationToken cancellationToken)
    {
        var found = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!SourceTexts.Mentions(tree, "AddToRole", cancellationToken) && !SourceTexts.Mentions(tree, "Roles", cancellationToken))
            {
                continue;
            }

            var candidates = Candidates.GetValue(tree, t => FindCandidates(t, cancellationToken));
            if (candidates.Count == 0)
            {
                continue;
            }

            var model = compilation.GetSemanticModel(tree);
            foreach (var node in candidates)
            {
                if (node is InvocationExpressionSyntax invocation)
                {
                    if (model.GetOperation(invocation, cancellationToken) is IInvocationOperation call &&
                        AddsToPatientRole(call, namesPatient) is { } user)
                    {
                        found.Add(user);
                    }
                }
                else if (model.GetDeclaredSymbol(node, cancellationToken) is { } declared && IsForPatientRole(declared, namesPatient))
                {
                    AddUsersOf(declared as INamedTypeSymbol ?? declared.ContainingType, found);
                }
            }
        }

        return found;
    }

    /// <summary>The user type of <c>userManager.AddToRoleAsync(user, role)</c> when the role is a patient's.</summary>
    private static INamedTypeSymbol? AddsToPatientRole(IInvocationOperation call, Func<string, bool> namesPatient)
    {
        if (call.TargetMethod.ContainingType is not { Name: "UserManager" } manager ||
            !TypeNames.IsInNamespace(manager.ContainingNamespace, IdentityNamespace) || call.Arguments.Length < 2)
        {
            return null;
        }

        IOperation? user = null;
        bool patientRole = false;
        foreach (var argument in call.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "user":
                    user = argument.Value;
                    break;
                case "role":
                    patientRole = argument.Value.ConstantValue is { HasValue: true, Value: string role } && namesPatient(role);
                    break;
                case "roles":
                    patientRole = RoleConstants(argument.Value) is { } roles && roles.Exists(r => namesPatient(r));
                    break;
            }
        }

        var userType = user is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand.Type : user?.Type;
        return patientRole && userType is INamedTypeSymbol named && named.TypeKind == TypeKind.Class ? named.OriginalDefinition : null;
    }

    private static List<string>? RoleConstants(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value is not IArrayCreationOperation { Initializer: { } initializer })
        {
            return null;
        }

        var roles = new List<string>();
        foreach (var element in initializer.ElementValues)
        {
            if (element.ConstantValue is { HasValue: true, Value: string role })
            {
                roles.Add(role);
            }
        }

        return roles;
    }

    /// <summary>Per file, kept while it does not change: the role calls, and the declarations with a <c>Roles = ...</c> attribute argument.</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, List<SyntaxNode>> Candidates = new();

    private static List<SyntaxNode> FindCandidates(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var candidates = new List<SyntaxNode>();
        foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
        {
            switch (node)
            {
                case InvocationExpressionSyntax invocation when SyntaxNames.Last(invocation.Expression) is "AddToRoleAsync" or "AddToRolesAsync":
                    candidates.Add(invocation);
                    break;
                case TypeDeclarationSyntax type when SetsRoles(type.AttributeLists):
                    candidates.Add(type);
                    break;
                case MethodDeclarationSyntax method when SetsRoles(method.AttributeLists):
                    candidates.Add(method);
                    break;
            }
        }

        return candidates;
    }

    private static bool SetsRoles(SyntaxList<AttributeListSyntax> lists)
    {
        foreach (var list in lists)
        {
            foreach (var attribute in list.Attributes)
            {
                foreach (var argument in attribute.ArgumentList?.Arguments ?? default)
                {
                    if (argument.NameEquals?.Name.Identifier.ValueText == "Roles")
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary><c>[Authorize(Roles = "Patient")]</c> (or a comma-separated list with a patient role) on the symbol.</summary>
    private static bool IsForPatientRole(ISymbol symbol, Func<string, bool> namesPatient)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is not { Name: "AuthorizeAttribute" })
            {
                continue;
            }

            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Roles" && named.Value.Value is string roles)
                {
                    foreach (var role in roles.Split(','))
                    {
                        if (namesPatient(role.Trim()))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The T of the <c>UserManager&lt;T&gt;</c> and <c>SignInManager&lt;T&gt;</c> a type holds or is given.</summary>
    private static void AddUsersOf(INamedTypeSymbol? type, HashSet<INamedTypeSymbol> found)
    {
        if (type is null)
        {
            return;
        }

        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case IFieldSymbol field:
                    AddUserOf(field.Type, found);
                    break;
                case IPropertySymbol property:
                    AddUserOf(property.Type, found);
                    break;
                case IMethodSymbol { MethodKind: MethodKind.Constructor } constructor:
                    foreach (var parameter in constructor.Parameters)
                    {
                        AddUserOf(parameter.Type, found);
                    }

                    break;
            }
        }
    }

    private static void AddUserOf(ITypeSymbol type, HashSet<INamedTypeSymbol> found)
    {
        if (type is INamedTypeSymbol { Name: "UserManager" or "SignInManager", TypeArguments.Length: 1 } manager &&
            TypeNames.IsInNamespace(manager.ContainingNamespace, IdentityNamespace) &&
            manager.TypeArguments[0] is INamedTypeSymbol { TypeKind: TypeKind.Class } user)
        {
            found.Add(user.OriginalDefinition);
        }
    }
}
