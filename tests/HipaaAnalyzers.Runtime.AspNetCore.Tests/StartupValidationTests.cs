using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.Audit;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Controllers;
using HipaaAnalyzers.Runtime.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace HipaaAnalyzers.Runtime.AspNetCore.Tests;

/// <summary>
/// The checks that run when the host starts, through real pipelines: a misconfigured application must fail to start
/// with every problem named, and a correctly configured one must start and serve.
/// </summary>
public sealed class StartupValidationTests : IDisposable
{
    private const string Roles = """
        [{"role":"clerk","permissions":["view:patients"]},
         {"role":"radiologist","permissions":["view:medical_images"]}]
        """;

    private const string StudiesImages =
        "HipaaAnalyzers.Runtime.AspNetCore.Tests.Controllers.StudiesController.Images (HipaaAnalyzers.Runtime.AspNetCore.Tests)";

    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private readonly string _directory = Directory.CreateTempSubdirectory("hipaa-startup-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string AuditedWithoutAudit(string endpoint) =>
        $"Endpoint '{endpoint}' is audited ([AuditPhiAccess] or .AuditPhiAccess()) but services.AddHipaaAudit(...) was not called, " +
        "so nothing would write its audit events: call builder.Services.AddHipaaAudit() and register an IAuditSink " +
        "(for example builder.Services.AddHipaaAuditFileSink(path)).";

    private static string UnknownPolicy(string endpoint, string policy) =>
        $"Endpoint '{endpoint}' requires the authorization policy '{policy}', which is not defined. Define it with " +
        $"builder.Services.AddAuthorization(o => o.AddPolicy(\"{policy}\", ...)), or grant the permission '{policy}' to a role in the access policy " +
        "definitions (builder.Services.AddHipaaAccessPoliciesFromFile(\"roles.json\", ...)).";

    private static string UngrantedPermission(string endpoint, string policy, string where) =>
        $"Endpoint '{endpoint}' requires the authorization policy '{policy}', which is not defined: no role in the access policy definitions{where} " +
        $"grants the permission '{policy}'. Add '{policy}' to the permissions of the roles that need it, or define the policy with " +
        $"builder.Services.AddAuthorization(o => o.AddPolicy(\"{policy}\", ...)); to deny everyone on purpose, grant it to a role that nobody holds.";

    [Fact]
    public async Task Audited_endpoints_without_AddHipaaAudit_fail_the_start_when_only_access_policies_are_registered()
    {
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => TestApp.StartAsync(
            s => s.AddHipaaAccessPolicies(Roles, o => o.TimeZone = NewYork),
            a =>
            {
                a.MapControllers();
                a.MapGet("/patients/{id}", (int id) => "patient " + id).RequireAuthorization("view:patients").AuditPhiAccess();
                a.MapGet("/attributed/{id}", [AuditPhiAccess(AuditAction.Exported)] (int id) => "export " + id);
                a.MapGroup("/records").AuditPhiAccess().MapPut("/{id}", (int id) => Results.NoContent());
                a.MapGet("/plain", () => "plain");
            }));

        // Every audited endpoint, in one exception: 9 controller actions and 3 minimal API endpoints.
        Assert.Equal(12, ex.Problems.Count);
        Assert.Contains(AuditedWithoutAudit("HTTP: GET /patients/{id}"), ex.Problems);
        Assert.Contains(AuditedWithoutAudit("HTTP: GET /attributed/{id}"), ex.Problems);
        Assert.Contains(AuditedWithoutAudit("HTTP: PUT /records/{id}"), ex.Problems);
        Assert.Contains(AuditedWithoutAudit(StudiesImages), ex.Problems);
        Assert.Contains(
            AuditedWithoutAudit("HipaaAnalyzers.Runtime.AspNetCore.Tests.Controllers.PatientsController.Get (HipaaAnalyzers.Runtime.AspNetCore.Tests)"),
            ex.Problems);
        Assert.DoesNotContain(ex.Problems, p => p.Contains("/plain", StringComparison.Ordinal));
        Assert.StartsWith("The HIPAA runtime configuration is invalid, so the host was not started (12 problems):\n- Endpoint '", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_that_nobody_defined_fails_the_start_for_every_endpoint_that_names_it()
    {
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => TestApp.StartAsync(
            s =>
            {
                s.AddSingleton<IAuditSink>(new CollectingAuditSink());
                s.AddHipaaAudit();
            },
            a =>
            {
                a.MapControllers();
                a.MapGet("/patients/{id}", (int id) => "patient " + id).RequireAuthorization("view:patients").AuditPhiAccess();
                a.MapGroup("/charts").RequireAuthorization("view:charts").MapGet("/{id}", (int id) => "chart " + id);
                a.MapGet("/open", () => "open").RequireAuthorization();
            },
            defineStudiesPolicy: false));

        Assert.Equal(
            new[]
            {
                UnknownPolicy(StudiesImages, "view:medical_images"),
                UnknownPolicy("HTTP: GET /patients/{id}", "view:patients"),
                UnknownPolicy("HTTP: GET /charts/{id}", "view:charts"),
            }.Order(StringComparer.Ordinal),
            ex.Problems.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Permission_that_no_role_grants_fails_the_start_and_names_the_roles_file()
    {
        string roles = Path.Combine(_directory, "roles.json");
        await File.WriteAllTextAsync(roles, Roles);
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => TestApp.StartAsync(
            s =>
            {
                s.AddSingleton<IAuditSink>(new CollectingAuditSink());
                s.AddHipaaAudit();
                s.AddHipaaAccessPoliciesFromFile(roles, o => o.TimeZone = NewYork);
            },
            a =>
            {
                a.MapGet("/patients/{id}", (int id) => "patient " + id).RequireAuthorization("view:patients").AuditPhiAccess();
                a.MapGet("/patients/{id}/export", (int id) => "export " + id).RequireAuthorization("export:patients").AuditPhiAccess();
            }));

        Assert.Equal(UngrantedPermission("HTTP: GET /patients/{id}/export", "export:patients", $" ({roles})"), Assert.Single(ex.Problems));
    }

    [Fact]
    public async Task Audit_and_policy_problems_are_reported_together()
    {
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => TestApp.StartAsync(
            s => s.AddHipaaAccessPolicies(Roles, o => o.TimeZone = NewYork),
            a => a.MapGet("/notes/{id}", (int id) => "note " + id).RequireAuthorization("view:notes").AuditPhiAccess()));

        Assert.Equal(
            new[]
            {
                AuditedWithoutAudit("HTTP: GET /notes/{id}"),
                UngrantedPermission("HTTP: GET /notes/{id}", "view:notes", string.Empty),
            },
            ex.Problems);
    }

    [Fact]
    public async Task Policy_named_by_a_global_MVC_authorize_filter_is_checked_on_every_action()
    {
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => TestApp.StartAsync(
            s =>
            {
                s.AddSingleton<IAuditSink>(new CollectingAuditSink());
                s.AddHipaaAudit();
                s.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(o => o.Filters.Add(new Microsoft.AspNetCore.Mvc.Authorization.AuthorizeFilter("staff:any")));
            },
            a => a.MapControllers()));

        Assert.Contains(UnknownPolicy(StudiesImages, "staff:any"), ex.Problems);
        Assert.All(ex.Problems, p => Assert.Contains("'staff:any'", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Correctly_configured_app_starts_and_serves()
    {
        CollectingAuditSink sink = new();
        await using TestApp app = await TestApp.StartAsync(
            s =>
            {
                s.AddSingleton<IAuditSink>(sink);
                s.AddHipaaAudit();
                s.AddHipaaAccessPolicies(Roles, o => o.TimeZone = NewYork);
                s.AddAuthorization(o => o.AddPolicy("view:notes", p => p.RequireAuthenticatedUser()));
            },
            a =>
            {
                a.MapControllers();
                a.MapGet("/patients/{id}", (int id) => "patient " + id).RequireAuthorization("view:patients").AuditPhiAccess();
                a.MapGet("/notes/{id}", (int id) => "note " + id).RequireAuthorization("view:notes").AuditPhiAccess();
            });

        using HttpResponseMessage patient = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/patients/4", roles: "clerk"));
        using HttpResponseMessage note = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/notes/5"));
        using HttpResponseMessage denied = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/patients/6", roles: "radiologist"));

        Assert.Equal("patient 4", await patient.Content.ReadAsStringAsync());
        Assert.Equal("note 5", await note.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(
            new[] { "success /patients/4", "success /notes/5", "denied /patients/6" },
            sink.Events.Select(e => e.Outcome.ToString().ToLowerInvariant() + " " + e.Resource));
    }

    [Fact]
    public async Task Policies_that_a_custom_policy_provider_makes_are_accepted()
    {
        await using TestApp app = await TestApp.StartAsync(
            s =>
            {
                s.AddSingleton<IAuditSink>(new CollectingAuditSink());
                s.AddHipaaAudit();
                s.AddSingleton<IAuthorizationPolicyProvider, ScopePolicyProvider>();
            },
            a => a.MapGet("/labs/{id}", (int id) => "lab " + id).RequireAuthorization("scope:labs").AuditPhiAccess());

        using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/labs/1"));
        Assert.Equal("lab 1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Policy_provider_that_throws_is_reported_with_the_endpoint()
    {
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => TestApp.StartAsync(
            s =>
            {
                s.AddSingleton<IAuditSink>(new CollectingAuditSink());
                s.AddHipaaAudit();
                s.AddSingleton<IAuthorizationPolicyProvider, ScopePolicyProvider>();
            },
            a => a.MapGet("/labs/{id}", (int id) => "lab " + id).RequireAuthorization("broken:labs").AuditPhiAccess()));

        Assert.Equal(
            "Endpoint 'HTTP: GET /labs/{id}' requires the authorization policy 'broken:labs', and the IAuthorizationPolicyProvider failed to look it up (System.TimeoutException).",
            Assert.Single(ex.Problems));
        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public async Task Web_api_template_shape_on_Kestrel_fails_before_the_server_listens()
    {
        // As `dotnet new webapi` writes it: no UseRouting, endpoints mapped on the WebApplication after Build().
        int port = FreePort();
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddHipaaAccessPolicies(Roles, o => o.TimeZone = NewYork);
        await using WebApplication app = builder.Build();
        app.UseAuthorization();
        app.MapGet("/patients/{id}", (int id) => new PatientDto(id, SamplePhi.PatientName, SamplePhi.Ssn, SamplePhi.Diagnosis))
            .RequireAuthorization("view:patient")
            .AuditPhiAccess();

        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => app.StartAsync());

        Assert.Equal(
            new[]
            {
                AuditedWithoutAudit("HTTP: GET /patients/{id}"),
                UngrantedPermission("HTTP: GET /patients/{id}", "view:patient", string.Empty),
            },
            ex.Problems);
        Assert.DoesNotContain(SamplePhi.PatientName, ex.Message, StringComparison.Ordinal);
        using TcpClient client = new();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task Web_api_template_shape_on_Kestrel_starts_and_serves_when_configured()
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        CollectingAuditSink sink = new();
        builder.Services.AddSingleton<IAuditSink>(sink);
        builder.Services.AddHipaaAudit();
        builder.Services.AddHipaaAccessPolicies(Roles, o => o.TimeZone = NewYork);
        builder.Services.AddAuthentication(TestAuthHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        await using WebApplication app = builder.Build();
        app.UseAuthorization();
        app.MapGet("/patients/{id}", (int id) => "patient " + id).RequireAuthorization("view:patients").AuditPhiAccess();
        await app.StartAsync();

        string address = app.Urls.First();
        using HttpClient client = new() { BaseAddress = new Uri(address) };
        using HttpRequestMessage request = TestApp.Request(HttpMethod.Get, "/patients/3", roles: "clerk");
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal("patient 3", await response.Content.ReadAsStringAsync());
        Assert.Equal(AuditOutcome.Success, Assert.Single(sink.Events).Outcome);
        await app.StopAsync();
    }

    [Fact]
    public async Task Razor_page_problems_fail_the_start()
    {
        HipaaStartupValidationException ex = await Assert.ThrowsAsync<HipaaStartupValidationException>(() => TestApp.StartAsync(
            s =>
            {
                s.AddRazorPages().AddApplicationPart(typeof(TestApp).Assembly);
                s.AddHipaaAccessPolicies(Roles, o => o.TimeZone = NewYork);
            },
            a => a.MapRazorPages()));

        Assert.Equal(new[] { AuditedWithoutAudit("/Chart"), UngrantedPermission("/Chart", "view:charts", string.Empty) }, ex.Problems);
    }

    [Fact]
    public async Task Razor_page_starts_and_serves_when_configured()
    {
        CollectingAuditSink sink = new();
        await using TestApp app = await TestApp.StartAsync(
            s =>
            {
                s.AddRazorPages().AddApplicationPart(typeof(TestApp).Assembly);
                s.AddSingleton<IAuditSink>(sink);
                s.AddHipaaAudit();
                s.AddHipaaAccessPolicies("""[{"role":"nurse","permissions":["view:charts"]}]""", o => o.TimeZone = NewYork);
            },
            a => a.MapRazorPages());

        using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/charts/7", roles: "nurse"));
        Assert.Equal("chart 7", (await response.Content.ReadAsStringAsync()).Trim());
        AuditEvent e = Assert.Single(sink.Events);
        Assert.Equal("/charts/7", e.Resource);
        Assert.Equal(AuditOutcome.Success, e.Outcome);
    }

    [Fact]
    public async Task Startup_filter_runs_once_when_both_registrations_are_called()
    {
        CollectingAuditSink sink = new();
        await using TestApp app = await TestApp.StartAsync(
            s =>
            {
                s.AddHipaaAccessPolicies(Roles, o => o.TimeZone = NewYork);
                s.AddSingleton<IAuditSink>(sink);
                s.AddHipaaAudit();
            },
            a => a.MapGet("/patients/{id}", (int id) => "patient " + id).RequireAuthorization("view:patients").AuditPhiAccess());

        Assert.Single(app.Services.GetServices<IStartupFilter>(), f => f.GetType().Name == "HipaaStartupFilter");
        using HttpResponseMessage response = await app.Client.SendAsync(TestApp.Request(HttpMethod.Get, "/patients/1", roles: "clerk"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(sink.Events);
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Makes a policy for every <c>scope:</c> name on demand, as policy providers for scopes or permissions do.</summary>
    private sealed class ScopePolicyProvider : DefaultAuthorizationPolicyProvider
    {
        public ScopePolicyProvider(IOptions<AuthorizationOptions> options)
            : base(options)
        {
        }

        public override Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
        {
            if (policyName.StartsWith("broken:", StringComparison.Ordinal))
            {
                throw new TimeoutException("the policy store did not answer");
            }

            return policyName.StartsWith("scope:", StringComparison.Ordinal)
                ? Task.FromResult<AuthorizationPolicy?>(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
                : base.GetPolicyAsync(policyName);
        }
    }
}
