using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HipaaAnalyzers.AspNetCore;
using HipaaAnalyzers.Infrastructure;
using HipaaAnalyzers.Phi;
using HipaaAnalyzers.Sinks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HipaaAnalyzers.Rules;

/// <summary>
/// HIPAA004: PHI reaches telemetry (Activity tags, baggage and events, metric tags), a URL or query string, an HTTP
/// header or a cookie.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HIPAA004PhiInTelemetryOrUrlAnalyzer : DiagnosticAnalyzer
{
    private const string TraceTag = "a trace tag";
    private const string Baggage = "trace baggage";
    private const string TraceEvent = "a trace event";
    private const string MetricTag = "a metric tag";
    private const string Url = "a URL";
    private const string QueryString = "a query string";
    private const string Header = "an HTTP header";
    private const string Cookie = "a cookie";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.PhiInTelemetryOrUrl);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var phi = PhiCompilationContext.For(start.Compilation);
            bool aspNetCore = ReferencedAssemblies.ContainsPrefix(start.Compilation, "Microsoft.AspNetCore");
            if (aspNetCore)
            {
                // PHI that arrives in a request's URL: a controller action's route and query values. Judged per type, so
                // the methods of a type that is no controller cost nothing each.
                start.RegisterSymbolAction(symbol =>
                {
                    var type = (INamedTypeSymbol)symbol.Symbol;
                    if (!EndpointModel.IsController(type))
                    {
                        return;
                    }

                    foreach (var member in type.GetMembers())
                    {
                        if (member is IMethodSymbol method)
                        {
                            var (values, endpoint) = InboundUrlValues.OfAction(method);
                            ReportInbound(values, endpoint, phi, symbol.Options, symbol.ReportDiagnostic);
                        }
                    }
                }, SymbolKind.NamedType);
            }

            // The sinks are judged at the end of the type that calls them: the methods a value comes from are mostly its own.
            // A minimal API handler's route and query values are read in the same callback: one per call, not two.
            var sinks = TelemetrySinks.Instance;
            TypeEndOperations.Register(start, operation =>
            {
                if (aspNetCore && operation is IInvocationOperation map && InboundUrlValues.IsMapCall(map.TargetMethod))
                {
                    return true;
                }

                // Allocated only for the few operations that reach a sink.
                List<(IOperation Value, string What, string Sink)>? values = null;
                Collect(sinks, operation, ref values);
                return values is not null;
            }, operation =>
            {
                if (aspNetCore && operation.Operation is IInvocationOperation map)
                {
                    var (inbound, endpoint) = InboundUrlValues.OfMapCall(map);
                    ReportInbound(inbound, endpoint, phi, operation.Options, operation.ReportDiagnostic);
                }

                List<(IOperation Value, string What, string Sink)>? values = null;
                Collect(sinks, operation.Operation, ref values);
                if (values is null)
                {
                    return;
                }

                var model = phi.GetModel(operation.Options, operation.Operation.Syntax.SyntaxTree);
                var findings = new List<(SinkValue, PhiFinding)>();
                var destinations = new Dictionary<IOperation, string>();
                foreach (var (value, what, sinkName) in values)
                {
                    var sink = new SinkValue(value, SinkFormatting.ToString, sinkName);
                    destinations[value] = what;
                    foreach (var finding in model.Flow.Trace(value, SinkFormatting.ToString))
                    {
                        findings.Add((sink, finding));
                    }
                }

                foreach (var kind in new[] { PhiFindingKind.Value, PhiFindingKind.WholeObject })
                {
                    FindingReporter.Report(operation.ReportDiagnostic, Descriptors.PhiInTelemetryOrUrl, findings, kind,
                        (sink, finding) => new object[] { finding.Reason.What, finding.Reason.Why, destinations[sink.Value], sink.SinkName });
                }
            }, OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.SimpleAssignment);
        });
    }

    /// <summary>The values <paramref name="operation"/> hands to a telemetry, URL or header sink, if any.</summary>
    private static void Collect(TelemetrySinks sinks, IOperation operation, ref List<(IOperation Value, string What, string Sink)>? values)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                sinks.Collect(invocation.TargetMethod, invocation.Instance, invocation.Arguments, ref values);
                break;
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                sinks.Collect(constructor, null, creation.Arguments, ref values);
                break;
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment:
                sinks.CollectSetter(property, assignment.Value, ref values);
                break;
        }
    }

    /// <summary>
    /// A route or query value named as one that says who the patient is (<c>ssn</c>, <c>nationalId</c>, <c>dateOfBirth</c>,
    /// <c>mrn</c>). Clinical names alone (<c>diagnosisCode</c>, <c>appointmentDate</c>) stay quiet: in a URL without the
    /// person they describe nobody, and a slot search by date is not about a patient.
    /// </summary>
    private static void ReportInbound(
        ImmutableArray<InboundUrlValues.Value> values, string endpoint, PhiCompilationContext phi, AnalyzerOptions options, System.Action<Diagnostic> report)
    {
        foreach (var value in values)
        {
            if (value.Parameter.Locations.FirstOrDefault() is not { IsInSource: true } location ||
                phi.GetModel(options, location.SourceTree!).ClassifyRouteValue(value.Name) is not { IdentifiesPerson: true } reason)
            {
                continue;
            }

            report(Diagnostic.Create(Descriptors.PhiInTelemetryOrUrl, location, value.Parameter.Name, reason.Why,
                value.InRoute ? "the URL path of inbound requests" : "the query string of inbound requests", endpoint));
        }
    }

    /// <summary>Telemetry, URL and header APIs of one compilation, resolved once, on first use.</summary>
    private sealed class TelemetrySinks
    {
        /// <summary>
        /// The sinks by the type's metadata name, then its namespace: matched by name, so no type is looked up when a
        /// compilation starts (each keystroke in the IDE is a new compilation).
        /// </summary>
        private readonly TypeNameTable<List<Entry>> _entries = new();

        public static readonly TelemetrySinks Instance = new();

        private TelemetrySinks()
        {
            Add("System.Diagnostics.Activity", TraceTag, "SetTag", "AddTag", "SetStatus", "set_DisplayName");
            Add("System.Diagnostics.Activity", Baggage, "SetBaggage", "AddBaggage");
            Add("System.Diagnostics.ActivitySource", TraceTag, "StartActivity");
            Add("System.Diagnostics.ActivityEvent", TraceEvent, ".ctor");
            Add("System.Diagnostics.TagList", MetricTag, "Add");
            foreach (var instrument in new[] { "Counter`1", "UpDownCounter`1", "Histogram`1", "Gauge`1" })
            {
                Add("System.Diagnostics.Metrics." + instrument, MetricTag, "Add", "Record");
            }

            Add("System.Uri", Url, ".ctor");
            Add("System.UriBuilder", Url, ".ctor", "set_Path", "set_Query", "set_Fragment");
            Add("System.Net.Http.HttpRequestMessage", Url, ".ctor");
            Add("System.Net.Http.HttpClient", Url,
                "GetAsync", "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync", "PostAsync", "PutAsync", "PatchAsync", "DeleteAsync");
            Add("System.Net.Http.Json.HttpClientJsonExtensions", Url,
                "GetFromJsonAsync", "PostAsJsonAsync", "PutAsJsonAsync", "PatchAsJsonAsync", "DeleteFromJsonAsync", "GetFromJsonAsAsyncEnumerable");
            Add("Microsoft.AspNetCore.Http.HttpResponse", Url, "Redirect");
            Add("Microsoft.AspNetCore.Mvc.ControllerBase", Url, "Redirect", "RedirectPermanent", "RedirectPreserveMethod", "LocalRedirect");
            Add("Microsoft.AspNetCore.Http.Results", Url, "Redirect", "LocalRedirect");
            Add("Microsoft.AspNetCore.Http.TypedResults", Url, "Redirect", "LocalRedirect");
            Add("Microsoft.AspNetCore.Components.NavigationManager", Url, "NavigateTo");
            Add("Microsoft.AspNetCore.WebUtilities.QueryHelpers", QueryString, "AddQueryString");
            Add("Microsoft.AspNetCore.Http.QueryString", QueryString, "Create", "Add");
            Add("System.Net.Http.Headers.HttpHeaders", Header, "Add", "TryAddWithoutValidation");
            Add("System.Net.WebHeaderCollection", Header, "Add", "Set");
            Add("Microsoft.AspNetCore.Http.HeaderDictionaryExtensions", Header, "Append", "AppendCommaSeparatedValues");
            Add("Microsoft.AspNetCore.Http.IResponseCookies", Cookie, "Append");
        }

        public void Collect(IMethodSymbol method, IOperation? instance, ImmutableArray<IArgumentOperation> arguments, ref List<(IOperation, string, string)>? values)
        {
            string? what = null;
            if (_entries.TryGet(method.ContainingType, out var entries))
            {
                foreach (var entry in entries)
                {
                    if (System.Array.IndexOf(entry.Members, method.MethodKind == MethodKind.Constructor ? ".ctor" : method.Name) >= 0)
                    {
                        what = entry.What;
                        break;
                    }
                }
            }

            // Response.Headers.Add("X-Patient", ssn) binds to IDictionary<string, StringValues>.Add.
            if (what is null && method.Name is "Add" or "TryAdd" && instance is not null && IsHeaderCollection(instance.Type))
            {
                what = Header;
            }

            what ??= HttpClientLibraryDestination(method);
            if (what is null)
            {
                if (RefitRoute(method) is { } route)
                {
                    CollectRefit(method, route, arguments, ref values);
                }

                return;
            }

            var sinkName = method.ContainingType!.Name + (method.MethodKind == MethodKind.Constructor ? " constructor" : "." + method.Name);
            foreach (var argument in arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter)
                {
                    continue;
                }

                // A Uri argument was built elsewhere and is reported where it was built; Flurl's path segments are objects.
                if (what == Url && parameter.Type.SpecialType is not (SpecialType.System_String or SpecialType.System_Object))
                {
                    continue;
                }

                if (parameter.Type.SpecialType == SpecialType.System_Boolean || parameter.Type.TypeKind is TypeKind.Enum or TypeKind.Delegate)
                {
                    continue;
                }

                if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } items })
                {
                    foreach (var item in items.ElementValues)
                    {
                        (values ??= new List<(IOperation, string, string)>()).Add((item, what, sinkName));
                    }

                    continue;
                }

                (values ??= new List<(IOperation, string, string)>()).Add((argument.Value, what, sinkName));
            }
        }

        /// <summary>
        /// RestSharp and Flurl, matched by namespace and name (their extension classes differ between versions):
        /// <c>request.AddQueryParameter("ssn", ssn)</c>, <c>AddUrlSegment</c>, <c>AddHeader</c>; <c>url.SetQueryParam</c>,
        /// <c>AppendPathSegment</c>, <c>WithHeader</c>.
        /// </summary>
        private static string? HttpClientLibraryDestination(IMethodSymbol method)
        {
            // The name first: most calls are not these, and a namespace walk for each would cost more.
            var (library, what) = method.Name switch
            {
                "AddQueryParameter" or "AddDefaultQueryParameter" => ("RestSharp", QueryString),
                "AddUrlSegment" or "AddDefaultUrlSegment" => ("RestSharp", Url),
                "AddHeader" or "AddOrUpdateHeader" or "AddDefaultHeader" => ("RestSharp", Header),
                ".ctor" when method.ContainingType?.Name == "RestRequest" => ("RestSharp", Url),
                "SetQueryParam" or "SetQueryParams" or "AppendQueryParam" => ("Flurl", QueryString),
                "AppendPathSegment" or "AppendPathSegments" or "SetFragment" => ("Flurl", Url),
                "WithHeader" or "WithHeaders" => ("Flurl", Header),
                _ => (null, null),
            };

            return library is not null && TypeNames.IsInOrUnderNamespace(method.ContainingType?.ContainingNamespace, library) ? what : null;
        }

        /// <summary>The route of a Refit interface method (<c>[Get("/patients/{ssn}")]</c>), or null.</summary>
        private static string? RefitRoute(IMethodSymbol method)
        {
            if (method.ContainingType?.TypeKind != TypeKind.Interface)
            {
                return null;
            }

            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "GetAttribute" or "PostAttribute" or "PutAttribute" or "DeleteAttribute" or "PatchAttribute" or "HeadAttribute" or "OptionsAttribute" } http &&
                    TypeNames.IsInOrUnderNamespace(http.ContainingNamespace, "Refit"))
                {
                    return attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string route ? route : "";
                }
            }

            return null;
        }

        /// <summary>
        /// Where Refit puts each argument: a parameter named in the route (<c>{ssn}</c>, also by <c>[AliasAs]</c>) into the
        /// URL; <c>[Header]</c>, <c>[HeaderCollection]</c> and <c>[Authorize]</c> into headers; <c>[Query]</c> and every
        /// other simple value into the query string. <c>[Body]</c>, <c>[Property]</c>, cancellation tokens and objects without
        /// <c>[Query]</c> (request bodies) are not URLs.
        /// </summary>
        private static void CollectRefit(IMethodSymbol method, string route, ImmutableArray<IArgumentOperation> arguments, ref List<(IOperation, string, string)>? values)
        {
            var sinkName = method.ContainingType.Name + "." + method.Name + " (Refit)";
            foreach (var argument in arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is not { } parameter)
                {
                    continue;
                }

                string name = parameter.Name;
                string? what = null;
                bool query = false;
                bool skip = false;
                foreach (var attribute in parameter.GetAttributes())
                {
                    if (attribute.AttributeClass is not { } type || !TypeNames.IsInOrUnderNamespace(type.ContainingNamespace, "Refit"))
                    {
                        continue;
                    }

                    switch (type.Name)
                    {
                        case "BodyAttribute" or "PropertyAttribute":
                            skip = true;
                            break;
                        case "HeaderAttribute" or "HeaderCollectionAttribute" or "AuthorizeAttribute":
                            what = Header;
                            break;
                        case "QueryAttribute" or "QueryNameAttribute":
                            query = true;
                            break;
                        case "AliasAsAttribute" when attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is string alias:
                            name = alias;
                            break;
                    }
                }

                if (skip || parameter.Type.SpecialType == SpecialType.System_Boolean || parameter.Type.TypeKind is TypeKind.Enum or TypeKind.Delegate ||
                    parameter.Type.Name == "CancellationToken")
                {
                    continue;
                }

                if (what is null)
                {
                    if (route.IndexOf("{" + name + "}", System.StringComparison.OrdinalIgnoreCase) >= 0 ||
                        route.IndexOf("{**" + name + "}", System.StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        what = Url;
                    }
                    else if (query || HttpValues.IsSimple(parameter.Type))
                    {
                        what = QueryString;
                    }
                }

                if (what is not null)
                {
                    (values ??= new List<(IOperation, string, string)>()).Add((argument.Value, what, sinkName));
                }
            }
        }

        public void CollectSetter(IPropertyReferenceOperation property, IOperation value, ref List<(IOperation, string, string)>? values)
        {
            if (property.Property.IsIndexer)
            {
                // Response.Headers["X-Patient"] = ssn.
                if (property.Instance is not null && IsHeaderCollection(property.Instance.Type))
                {
                    (values ??= new List<(IOperation, string, string)>()).Add((value, Header, "headers indexer"));
                }

                return;
            }

            if (property.Property.SetMethod is { } setter && Lookup(setter) is { } what &&
                (what != Url || value.Type?.SpecialType == SpecialType.System_String))
            {
                (values ??= new List<(IOperation, string, string)>()).Add((value, what, property.Property.ContainingType.Name + "." + property.Property.Name));
            }
        }

        private string? Lookup(IMethodSymbol method)
        {
            if (_entries.TryGet(method.ContainingType, out var entries))
            {
                foreach (var entry in entries)
                {
                    if (System.Array.IndexOf(entry.Members, method.Name) >= 0)
                    {
                        return entry.What;
                    }
                }
            }

            return null;
        }

        private static bool IsHeaderCollection(ITypeSymbol? type)
        {
            if (type is null)
            {
                return false;
            }

            for (var t = type; t is not null; t = t.BaseType)
            {
                if (TypeNames.Is(t, "System.Net.Http.Headers", "HttpHeaders") || TypeNames.Is(t, "Microsoft.AspNetCore.Http", "IHeaderDictionary"))
                {
                    return true;
                }
            }

            foreach (var i in Interfaces.Of(type))
            {
                if (TypeNames.Is(i, "Microsoft.AspNetCore.Http", "IHeaderDictionary"))
                {
                    return true;
                }
            }

            return false;
        }

        private void Add(string fullName, string what, params string[] members) =>
            _entries.GetOrAdd(fullName, () => new List<Entry>()).Add(new Entry(what, members));

        private readonly struct Entry
        {
            public Entry(string what, string[] members)
            {
                What = what;
                Members = members;
            }

            public string What { get; }
            public string[] Members { get; }
        }
    }
}
