using System;
using System.Collections.Generic;
using System.Linq;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Auditing;
using HipaaAnalyzers.Runtime.AspNetCore.Policies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaAnalyzers.Runtime.AspNetCore.Startup;

/// <summary>The checks <see cref="HipaaStartupFilter"/> runs when the host starts.</summary>
internal static partial class HipaaStartupValidator
{
    /// <summary>Whether <paramref name="serviceType"/> is registered, without creating it when the container can tell.</summary>
    public static bool IsRegistered(IServiceProvider services, Type serviceType)
    {
        IServiceProviderIsService? registrations = services.GetService<IServiceProviderIsService>();
        return registrations?.IsService(serviceType) ?? services.GetService(serviceType) is not null;
    }

    /// <summary>
    /// Creates what the audit middleware needs, now rather than on the first audited request: the
    /// <see cref="IAuditSink"/> (for the file sink this opens the log and loads the signing key) and the writer, which
    /// validates <see cref="HipaaAuditOptions"/>.
    /// </summary>
    public static void CheckAuditServices(IServiceProvider services, StartupProblems problems)
    {
        if (!IsRegistered(services, typeof(IAuditSink)))
        {
            problems.Add(
                "services.AddHipaaAudit(...) needs an IAuditSink service to store audit events: register one, for example " +
                "builder.Services.AddHipaaAuditFileSink(\"/var/log/clinic/audit.jsonl\") (namespace HipaaAnalyzers.Runtime), " +
                "before the host starts.");
        }
        else
        {
            // A scope, because a sink may be registered as scoped: the middleware resolves it per request.
            AsyncServiceScope scope = services.CreateAsyncScope();
            try
            {
                _ = scope.ServiceProvider.GetRequiredService<IAuditSink>();
            }
            catch (Exception ex) when (!IsFatal(ex))
            {
                problems.Add("The audit sink (IAuditSink) could not be created: " + ex.Message, ex);
            }
            finally
            {
                scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        try
        {
            _ = services.GetRequiredService<AuditWriter>();
        }
        catch (Exception ex) when (!IsFatal(ex))
        {
            problems.Add(ex.Message, ex);
        }
    }

    /// <summary>
    /// Builds every endpoint of the application (the composite <see cref="EndpointDataSource"/> holds the data sources
    /// of every <c>UseEndpoints</c>, including the one <c>WebApplication</c> adds for endpoints mapped on it) and checks
    /// its audit marking and the authorization policies it names.
    /// </summary>
    public static void CheckEndpoints(IServiceProvider services, bool auditRegistered, StartupProblems problems)
    {
        EndpointDataSource? dataSource = services.GetService<EndpointDataSource>();
        IReadOnlyList<Endpoint> endpoints = dataSource?.Endpoints ?? Array.Empty<Endpoint>();
        IAuthorizationPolicyProvider? policyProvider = services.GetService<IAuthorizationPolicyProvider>();
        AccessPolicySet? roles = services.GetService<AccessPolicySet>();
        Dictionary<string, PolicyLookup> lookups = new(StringComparer.Ordinal);
        int audited = 0;

        foreach (Endpoint endpoint in endpoints)
        {
            string name = NameOf(endpoint);
            if (AuditMetadata.Find(endpoint.Metadata) is not null)
            {
                audited++;
                if (!auditRegistered)
                {
                    problems.Add(
                        $"Endpoint '{name}' is audited ([AuditPhiAccess] or .AuditPhiAccess()) but services.AddHipaaAudit(...) was not called, " +
                        "so nothing would write its audit events: call builder.Services.AddHipaaAudit() and register an IAuditSink " +
                        "(for example builder.Services.AddHipaaAuditFileSink(path)).");
                }
            }

            HashSet<string> named = new(StringComparer.Ordinal);
            foreach (IAuthorizeData data in AuthorizeDataOf(endpoint))
            {
                // As AuthorizationPolicy.CombineAsync does: a blank policy name means the default policy.
                string? policy = data.Policy;
                if (string.IsNullOrWhiteSpace(policy) || !named.Add(policy))
                {
                    continue;
                }

                if (!lookups.TryGetValue(policy, out PolicyLookup lookup))
                {
                    lookup = LookUp(policyProvider, policy);
                    lookups.Add(policy, lookup);
                }

                switch (lookup.Result)
                {
                    case PolicyLookupResult.Found:
                        break;
                    case PolicyLookupResult.NoAuthorizationServices:
                        problems.Add(
                            $"Endpoint '{name}' requires the authorization policy '{policy}', but no authorization services are registered: " +
                            $"call builder.Services.AddAuthorization(o => o.AddPolicy(\"{policy}\", ...)).");
                        break;
                    case PolicyLookupResult.ProviderFailed:
                        problems.Add(
                            $"Endpoint '{name}' requires the authorization policy '{policy}', and the IAuthorizationPolicyProvider failed to look it up " +
                            $"({lookup.Exception!.GetType().FullName}).",
                            lookup.Exception);
                        break;
                    default:
                        problems.Add(UnknownPolicy(name, policy, roles));
                        break;
                }
            }
        }

        ILogger logger = services.GetService<ILoggerFactory>()?.CreateLogger("HipaaAnalyzers.Runtime.AspNetCore.Startup") ?? NullLogger.Instance;
        LogChecked(logger, endpoints.Count, audited, lookups.Count, problems.Count);
    }

    /// <summary>
    /// What names policies on an endpoint: <see cref="IAuthorizeData"/> metadata (<c>[Authorize]</c>,
    /// <c>RequireAuthorization("name")</c>, Razor Pages conventions) and MVC's <see cref="AuthorizeFilter"/>s, which
    /// global filters (<c>MvcOptions.Filters.Add(new AuthorizeFilter("name"))</c>) put into an action's metadata.
    /// </summary>
    private static IEnumerable<IAuthorizeData> AuthorizeDataOf(Endpoint endpoint)
    {
        foreach (object item in endpoint.Metadata)
        {
            if (item is IAuthorizeData data)
            {
                yield return data;
            }
            else if (item is AuthorizeFilter { AuthorizeData: { } filterData })
            {
                foreach (IAuthorizeData inner in filterData)
                {
                    yield return inner;
                }
            }
        }
    }

    private static string UnknownPolicy(string endpoint, string policy, AccessPolicySet? roles)
    {
        if (roles is not null)
        {
            string where = roles.Source is null ? string.Empty : " (" + roles.Source + ")";
            return $"Endpoint '{endpoint}' requires the authorization policy '{policy}', which is not defined: no role in the access policy definitions{where} " +
                $"grants the permission '{policy}'. Add '{policy}' to the permissions of the roles that need it, or define the policy with " +
                $"builder.Services.AddAuthorization(o => o.AddPolicy(\"{policy}\", ...)); to deny everyone on purpose, grant it to a role that nobody holds.";
        }

        return $"Endpoint '{endpoint}' requires the authorization policy '{policy}', which is not defined. Define it with " +
            $"builder.Services.AddAuthorization(o => o.AddPolicy(\"{policy}\", ...)), or grant the permission '{policy}' to a role in the access policy " +
            "definitions (builder.Services.AddHipaaAccessPoliciesFromFile(\"roles.json\", ...)).";
    }

    private static PolicyLookup LookUp(IAuthorizationPolicyProvider? provider, string policy)
    {
        if (provider is null)
        {
            return new PolicyLookup(PolicyLookupResult.NoAuthorizationServices, null);
        }

        try
        {
            AuthorizationPolicy? found = provider.GetPolicyAsync(policy).GetAwaiter().GetResult();
            return new PolicyLookup(found is null ? PolicyLookupResult.NotFound : PolicyLookupResult.Found, null);
        }
        catch (Exception ex) when (!IsFatal(ex))
        {
            return new PolicyLookup(PolicyLookupResult.ProviderFailed, ex);
        }
    }

    private static string NameOf(Endpoint endpoint)
    {
        if (!string.IsNullOrEmpty(endpoint.DisplayName))
        {
            return endpoint.DisplayName;
        }

        return endpoint is RouteEndpoint { RoutePattern.RawText: { } pattern } ? pattern : "(endpoint without a name)";
    }

    private static bool IsFatal(Exception ex) => ex is OutOfMemoryException or StackOverflowException or AccessViolationException;

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug,
        Message = "Startup checks: {EndpointCount} endpoints, {AuditedCount} audited, {PolicyCount} named authorization policies, {ProblemCount} problems.")]
    private static partial void LogChecked(ILogger logger, int endpointCount, int auditedCount, int policyCount, int problemCount);

    private enum PolicyLookupResult
    {
        Found,
        NotFound,
        NoAuthorizationServices,
        ProviderFailed,
    }

    private readonly record struct PolicyLookup(PolicyLookupResult Result, Exception? Exception);
}

/// <summary>The problems found at startup, and the exceptions behind them.</summary>
internal sealed class StartupProblems
{
    private readonly List<string> _problems = new();
    private readonly List<Exception> _causes = new();

    public int Count => _problems.Count;

    public void Add(string problem, Exception? cause = null)
    {
        _problems.Add(problem);
        if (cause is not null && !_causes.Contains(cause))
        {
            _causes.Add(cause);
        }
    }

    public void ThrowIfAny()
    {
        if (_problems.Count == 0)
        {
            return;
        }

        Exception? inner = _causes.Count switch
        {
            0 => null,
            1 => _causes[0],
            _ => new AggregateException(_causes),
        };
        throw new HipaaStartupValidationException(_problems.ToArray(), inner);
    }
}
