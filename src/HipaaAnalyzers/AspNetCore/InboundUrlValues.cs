using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using HipaaAnalyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.AspNetCore;

/// <summary>
/// The parameters of an endpoint that arrive in the request's URL: those marked <c>[FromRoute]</c> or <c>[FromQuery]</c>,
/// and simple values (strings, numbers, dates, GUIDs) without a binding attribute, which ASP.NET Core binds from the route
/// when the template names them and from the query string otherwise (in API controllers and minimal APIs; in MVC
/// controllers only for GET, since a form post binds them from the form). Bodies, services, headers and forms are not
/// URLs. Inbound URLs are written to server, proxy and load balancer logs and kept in browser history.
/// </summary>
internal static class InboundUrlValues
{
    public readonly struct Value
    {
        public Value(IParameterSymbol parameter, string name, bool inRoute)
        {
            Parameter = parameter;
            Name = name;
            InRoute = inRoute;
        }

        public IParameterSymbol Parameter { get; }

        /// <summary>The name it has in the URL (<c>[FromQuery(Name = "nid")]</c> renames it).</summary>
        public string Name { get; }

        public bool InRoute { get; }
    }

    /// <summary>The URL values of a public controller action, with the route and verb text for the message ("GET api/patients/search").</summary>
    public static (ImmutableArray<Value> Values, string Endpoint) OfAction(IMethodSymbol action)
    {
        if (action.MethodKind != MethodKind.Ordinary || action.IsStatic || action.DeclaredAccessibility != Accessibility.Public ||
            action.ContainingType is not { } controller || !EndpointModel.IsController(controller) || EndpointModel.FindAttribute(action, "NonActionAttribute") is not null)
        {
            return (ImmutableArray<Value>.Empty, "");
        }

        string? verb = null;
        var templates = new List<string>();
        foreach (var attribute in action.GetAttributes())
        {
            var name = attribute.AttributeClass?.Name;
            if (name is null || !(name.StartsWith("Http", StringComparison.Ordinal) || name == "RouteAttribute"))
            {
                continue;
            }

            if (name != "RouteAttribute" && name.EndsWith("Attribute", StringComparison.Ordinal))
            {
                verb ??= name.Substring(4, name.Length - 4 - "Attribute".Length).ToUpperInvariant();
            }

            if (attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string template)
            {
                templates.Add(template);
            }
        }

        string classRoute = "";
        bool api = false;
        for (var type = controller; type is not null; type = type.BaseType)
        {
            foreach (var attribute in type.GetAttributes())
            {
                switch (attribute.AttributeClass?.Name)
                {
                    case "ApiControllerAttribute":
                        api = true;
                        break;
                    case "RouteAttribute" when classRoute.Length == 0 && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string route:
                        classRoute = route;
                        break;
                }
            }
        }

        var allTemplates = classRoute + " " + string.Join(" ", templates);
        var endpoint = (verb ?? "ANY") + " " + Join(classRoute.Replace("[controller]", ControllerName(controller)), templates.Count > 0 ? templates[0] : "");
        bool queryBinds = api || verb is null or "GET" or "HEAD" or "DELETE";
        return (Collect(action.Parameters, allTemplates, queryBinds), endpoint);
    }

    /// <summary>A minimal API Map call whose route values <see cref="OfMapCall"/> reads: <c>MapGet</c>, <c>MapPost</c>, <c>MapPut</c>, <c>MapDelete</c>, <c>MapPatch</c>.</summary>
    public static bool IsMapCall(IMethodSymbol method) =>
        method.Name is "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" &&
        TypeNames.IsInNamespace(method.ContainingNamespace, "Microsoft.AspNetCore.Builder");

    /// <summary>The URL values of a minimal API handler (<c>app.MapGet("/patients/search", (string ssn) => ...)</c>).</summary>
    public static (ImmutableArray<Value> Values, string Endpoint) OfMapCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!IsMapCall(method))
        {
            return (ImmutableArray<Value>.Empty, "");
        }

        string? pattern = null;
        ImmutableArray<IParameterSymbol> parameters = default;
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "pattern" when argument.Value.ConstantValue is { HasValue: true, Value: string text }:
                    pattern = text;
                    break;
                case "handler":
                    var handler = argument.Value;
                    while (handler is IConversionOperation or IDelegateCreationOperation)
                    {
                        handler = handler is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)handler).Target;
                    }

                    parameters = handler switch
                    {
                        IAnonymousFunctionOperation lambda => lambda.Symbol.Parameters,
                        IMethodReferenceOperation reference => reference.Method.Parameters,
                        _ => default,
                    };
                    break;
            }
        }

        if (pattern is null || parameters.IsDefaultOrEmpty)
        {
            return (ImmutableArray<Value>.Empty, "");
        }

        var verb = method.Name.Substring(3).ToUpperInvariant();
        return (Collect(parameters, pattern, queryBinds: true), verb + " " + pattern);
    }

    private static ImmutableArray<Value> Collect(ImmutableArray<IParameterSymbol> parameters, string templates, bool queryBinds)
    {
        var result = ImmutableArray<Value>.Empty;
        foreach (var parameter in parameters)
        {
            string name = parameter.Name;
            bool? inRoute = null;
            bool bound = false;
            foreach (var attribute in parameter.GetAttributes())
            {
                switch (attribute.AttributeClass?.Name)
                {
                    case "FromQueryAttribute":
                        inRoute = false;
                        name = NamedArgument(attribute) ?? name;
                        break;
                    case "FromRouteAttribute":
                        inRoute = true;
                        name = NamedArgument(attribute) ?? name;
                        break;
                    case "FromBodyAttribute" or "FromFormAttribute" or "FromServicesAttribute" or "FromHeaderAttribute" or
                        "FromKeyedServicesAttribute" or "AsParametersAttribute" or "BindNeverAttribute":
                        bound = true;
                        break;
                }
            }

            if (bound)
            {
                continue;
            }

            if (inRoute is null)
            {
                if (!HttpValues.IsSimple(parameter.Type))
                {
                    continue;
                }

                if (NamesRouteValue(templates, name))
                {
                    inRoute = true;
                }
                else if (queryBinds)
                {
                    inRoute = false;
                }
                else
                {
                    continue;
                }
            }

            result = result.Add(new Value(parameter, name, inRoute.Value));
        }

        return result;
    }

    private static string? NamedArgument(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "Name" && argument.Value.Value is string { Length: > 0 } name)
            {
                return name;
            }
        }

        return null;
    }

    private static bool NamesRouteValue(string templates, string name)
    {
        foreach (var value in HttpValues.RouteValueNames(templates))
        {
            if (string.Equals(value, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string ControllerName(INamedTypeSymbol controller) =>
        controller.Name.EndsWith("Controller", StringComparison.Ordinal) ? controller.Name.Substring(0, controller.Name.Length - "Controller".Length) : controller.Name;

    private static string Join(string prefix, string template)
    {
        if (template.StartsWith("/", StringComparison.Ordinal) || template.StartsWith("~/", StringComparison.Ordinal))
        {
            return template.TrimStart('~');
        }

        return prefix.Length == 0 ? template : template.Length == 0 ? prefix : prefix.TrimEnd('/') + "/" + template;
    }
}
