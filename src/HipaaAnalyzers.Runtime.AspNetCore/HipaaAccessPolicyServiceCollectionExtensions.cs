using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HipaaAnalyzers.Runtime.AspNetCore.Auditing;
using HipaaAnalyzers.Runtime.AspNetCore.Policies;
using HipaaAnalyzers.Runtime.AspNetCore.Startup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HipaaAnalyzers.Runtime.AspNetCore;

/// <summary>
/// Builds authorization policies from JSON role definitions (45 CFR 164.312(a)(1)): one policy per permission, named
/// exactly after it, satisfied when a role of the user grants the permission and that role's time window and IP
/// ranges hold.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddHipaaAccessPolicies("""
///     [{"role":"radiologist","permissions":["view:medical_images","annotate:studies"],
///       "constraints":{"temporal":"08:00-18:00 Mon-Fri","ip_range":["192.168.1.0/24"]}}]
///     """, options => options.TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
///
/// app.MapGet("/api/studies/{id}/images", ...).RequireAuthorization("view:medical_images");
/// </code>
/// </example>
/// <remarks>
/// The definitions are validated when these methods are called. When the host starts, every endpoint is checked: an
/// endpoint that names a policy nobody defined (a permission no role grants, say) or that is audited while
/// <c>AddHipaaAudit</c> was not called fails the start with one <see cref="HipaaStartupValidationException"/> that lists
/// every such endpoint.
/// </remarks>
public static class HipaaAccessPolicyServiceCollectionExtensions
{
    /// <summary>Registers the policies defined by a JSON array of role definitions.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="json">The role definitions: <c>[{"role":..., "permissions":[...], "constraints":{...}}]</c>.</param>
    /// <param name="configure">Sets the options; <see cref="HipaaAccessPolicyOptions.TimeZone"/> is required.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="HipaaAccessPolicyException">The definitions or options are invalid; the message names the role and field.</exception>
    public static IServiceCollection AddHipaaAccessPolicies(this IServiceCollection services, string json, Action<HipaaAccessPolicyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, AccessPolicyParser.ParseJson(json, source: null), configure, source: null);
    }

    /// <summary>
    /// Registers the policies defined by a configuration section holding the array of role definitions, for
    /// example <c>builder.Configuration.GetSection("HipaaRoles")</c> for <c>"HipaaRoles": [ ... ]</c> in appsettings.json.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="roles">The section whose children are the role definitions.</param>
    /// <param name="configure">Sets the options; <see cref="HipaaAccessPolicyOptions.TimeZone"/> is required.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="HipaaAccessPolicyException">The definitions or options are invalid; the message names the role and field.</exception>
    public static IServiceCollection AddHipaaAccessPolicies(this IServiceCollection services, IConfiguration roles, Action<HipaaAccessPolicyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(configure);
        string? source = roles is IConfigurationSection section ? "configuration section " + section.Path : null;
        return Register(services, AccessPolicyParser.ParseConfiguration(roles, source), configure, source);
    }

    /// <summary>Registers the policies defined by a JSON file of role definitions.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="path">The path of the JSON file.</param>
    /// <param name="configure">Sets the options; <see cref="HipaaAccessPolicyOptions.TimeZone"/> is required.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="HipaaAccessPolicyException">The file cannot be read, or the definitions or options are invalid.</exception>
    public static IServiceCollection AddHipaaAccessPoliciesFromFile(this IServiceCollection services, string path, Action<HipaaAccessPolicyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(configure);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw HipaaAccessPolicyException.ForDocument(path, "the file cannot be read (" + ex.GetType().Name + ")", inner: ex);
        }

        return Register(services, AccessPolicyParser.ParseJson(json, path), configure, path);
    }

    private static IServiceCollection Register(IServiceCollection services, IReadOnlyList<RoleDefinition> roles, Action<HipaaAccessPolicyOptions> configure, string? source)
    {
        if (services.Any(d => d.ServiceType == typeof(AccessPolicySet)))
        {
            throw new InvalidOperationException("AddHipaaAccessPolicies was already called; put every role in one definition list.");
        }

        HipaaAccessPolicyOptions options = new();
        configure(options);
        if (options.TimeZone is null)
        {
            throw HipaaAccessPolicyException.ForOption(nameof(HipaaAccessPolicyOptions.TimeZone),
                "is required (for example TimeZoneInfo.FindSystemTimeZoneById(\"America/New_York\")); time windows are read in it");
        }

        if (string.IsNullOrWhiteSpace(options.RoleClaimType))
        {
            throw HipaaAccessPolicyException.ForOption(nameof(HipaaAccessPolicyOptions.RoleClaimType), "must name a claim type");
        }

        AccessPolicySet set = new(roles, options.TimeZone, options.RoleClaimType, source);
        services.AddSingleton(set);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<HipaaAuditOptions>();
        services.TryAddSingleton<ClientAddressResolver>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuthorizationHandler, HipaaPermissionHandler>());
        services.AddAuthorization(authorization =>
        {
            foreach (string permission in set.GrantsByPermission.Keys)
            {
                authorization.AddPolicy(permission, policy => policy
                    .RequireAuthenticatedUser()
                    .AddRequirements(new HipaaPermissionRequirement(permission)));
            }
        });
        HipaaStartupRegistration.Add(services);
        return services;
    }
}
