using System;
using System.Linq;
using System.Threading;
using HipaaAnalyzers.AspNetCore;
using Xunit;

namespace HipaaAnalyzers.Cli.Tests;

/// <summary>The endpoint model reads routes, verbs, authorization and audit from minimal APIs and controllers.</summary>
public sealed class EndpointModelTests
{
    private const string Usings = """
        using System;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Authorization;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Authorization;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.DependencyInjection;

        """;

    /// <summary>A team's own audit API, named like the runtime's.</summary>
    private const string Audit = """
        using System;
        using Microsoft.AspNetCore.Builder;

        public enum AuditAction { Viewed, Modified, Deleted }

        [AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
        public sealed class AuditPhiAccessAttribute : Attribute
        {
            public AuditPhiAccessAttribute(AuditAction action) => Action = action;
            public AuditAction Action { get; }
        }

        public sealed class AuditPhiAccessFilter : Microsoft.AspNetCore.Mvc.Filters.IActionFilter
        {
            public void OnActionExecuting(Microsoft.AspNetCore.Mvc.Filters.ActionExecutingContext context) { }
            public void OnActionExecuted(Microsoft.AspNetCore.Mvc.Filters.ActionExecutedContext context) { }
        }

        public static class AuditExtensions
        {
            public static TBuilder AuditPhiAccess<TBuilder>(this TBuilder builder, AuditAction action)
                where TBuilder : IEndpointConventionBuilder => builder;
        }
        """;

    [Fact]
    public void Minimal_api_routes_combine_group_prefixes_and_read_verbs()
    {
        var endpoints = Discover(Usings + """
            var app = WebApplication.Create(args);
            var api = app.MapGroup("/api");
            var patients = api.MapGroup("patients/");
            patients.MapGet("/{id:int}", (int id) => id);
            patients.MapPost("", () => Results.Ok());
            app.MapGroup("/v2").MapPut("/items/{id}", (int id) => id);
            app.MapMethods("/probe", new[] { "get", "HEAD" }, () => "ok");
            app.Map("/any", () => "any");
            app.MapDelete("items/{id}", (int id) => Results.NoContent());
            app.Run();
            """);

        Assert.Equal(
            new[] { "GET, HEAD /probe", "ANY /any", "DELETE /items/{id}", "GET /api/patients/{id:int}", "POST /api/patients", "PUT /v2/items/{id}" }
                .OrderBy(s => s.Substring(s.IndexOf('/')), System.StringComparer.OrdinalIgnoreCase),
            endpoints.Endpoints.Select(e => e.VerbsText + " " + e.Route));
        Assert.All(endpoints.Endpoints, e => Assert.Equal(EndpointKind.MinimalApi, e.Kind));
        Assert.All(endpoints.Endpoints, e => Assert.True(e.RouteIsComplete));
        Assert.Equal("lambda in Program", Single(endpoints, "GET", "/api/patients/{id:int}").HandlerName);
    }

    [Fact]
    public void Minimal_api_authorization_comes_from_the_endpoint_its_groups_and_its_handler()
    {
        var endpoints = Discover(Usings + """
            var app = WebApplication.Create(args);
            var clinical = app.MapGroup("/clinical").RequireAuthorization("Clinician");
            clinical.MapGet("/charts", () => "charts");
            clinical.MapGet("/public", () => "public").AllowAnonymous();
            var admin = app.MapGroup("/admin");
            admin.RequireAuthorization(new AuthorizeAttribute { Roles = "Admin, Auditor" });
            admin.MapGet("/users", () => "users");
            app.MapGet("/reports", () => "reports").RequireAuthorization(policy => policy.RequireRole("Reporter"));
            app.MapGet("/me", () => "me").RequireAuthorization();
            app.MapGet("/open", () => "open");
            app.MapGet("/handler", [Authorize(Policy = "Handlers")] () => "handler");
            app.MapGet("/metadata", () => "metadata").WithMetadata(new AllowAnonymousAttribute());
            app.MapGet("/method", Handlers.Get);
            app.Run();

            static class Handlers
            {
                [Authorize(Roles = "Nurse")]
                public static string Get() => "method";
            }
            """);

        Assert.Equal("policy Clinician", Describe(endpoints, "GET", "/clinical/charts"));
        Assert.Contains(".RequireAuthorization() on group /clinical", Single(endpoints, "GET", "/clinical/charts").Authorization.Sources);
        Assert.Equal("anonymous", Describe(endpoints, "GET", "/clinical/public"));
        Assert.Equal("roles Admin, Auditor", Describe(endpoints, "GET", "/admin/users"));
        Assert.Equal("role Reporter", Describe(endpoints, "GET", "/reports"));
        Assert.True(Single(endpoints, "GET", "/reports").Authorization.HasInlinePolicy);
        Assert.Equal("authenticated user (default policy)", Describe(endpoints, "GET", "/me"));
        Assert.True(Single(endpoints, "GET", "/me").Authorization.IsAuthenticationOnly);
        Assert.Equal("none", Describe(endpoints, "GET", "/open"));
        Assert.False(Single(endpoints, "GET", "/open").Authorization.IsProtected);
        Assert.Equal("policy Handlers", Describe(endpoints, "GET", "/handler"));
        Assert.Equal("anonymous", Describe(endpoints, "GET", "/metadata"));
        Assert.Equal("role Nurse", Describe(endpoints, "GET", "/method"));
        Assert.Equal("Handlers.Get", Single(endpoints, "GET", "/method").HandlerName);
    }

    [Fact]
    public void A_group_handed_to_a_method_gets_the_prefix_and_conventions_of_each_caller()
    {
        var endpoints = Discover(Usings + """
            var app = WebApplication.Create(args);
            app.MapGroup("/api/v1").RequireAuthorization("Reader").MapPatients();
            app.MapPatients();
            app.Run();

            static class PatientRoutes
            {
                public static IEndpointRouteBuilder MapPatients(this IEndpointRouteBuilder routes)
                {
                    routes.MapGet("/patients", () => "list");
                    return routes;
                }
            }
            """);

        Assert.Equal("policy Reader", Describe(endpoints, "GET", "/api/v1/patients"));
        Assert.Equal("none", Describe(endpoints, "GET", "/patients"));
    }

    [Fact]
    public void Fallback_policy_protects_endpoints_that_say_nothing_else()
    {
        var endpoints = Discover(Usings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddAuthorization(options =>
                options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
            var app = builder.Build();
            app.MapGet("/quiet", () => "quiet");
            app.MapGet("/open", () => "open").AllowAnonymous();
            app.Run();
            """);

        var quiet = Single(endpoints, "GET", "/quiet");
        Assert.Equal("fallback policy", quiet.Authorization.Describe());
        Assert.True(quiet.Authorization.IsProtected);
        Assert.True(quiet.Authorization.UsesFallbackPolicy);
        Assert.Equal("anonymous", Describe(endpoints, "GET", "/open"));
        Assert.True(endpoints.Conventions.HasFallbackPolicy);
    }

    [Fact]
    public void Controller_routes_combine_controller_and_action_templates_with_tokens()
    {
        var endpoints = Discover(Usings + """
            var app = WebApplication.Create(args);
            app.MapControllers();
            app.Run();

            [ApiController]
            [Route("api/[controller]")]
            public sealed class PatientsController : ControllerBase
            {
                [HttpGet]
                public string List() => "list";

                [HttpGet("{id:int}")]
                public string Get(int id) => "one";

                [HttpPost]
                [Route("admit")]
                public string Admit() => "admit";

                [Route("~/legacy/patients")]
                [HttpGet]
                public string Legacy() => "legacy";

                [AcceptVerbs("GET", "HEAD", Route = "probe")]
                public string Probe() => "probe";

                [HttpPut("[action]")]
                public Task<string> RenameAsync() => Task.FromResult("renamed");

                [NonAction]
                public string Helper() => "not an action";
            }

            [Area("Admin")]
            [Route("[area]/[controller]/[action]")]
            public sealed class UsersController : Controller
            {
                public string Index() => "users";
            }

            public sealed class HomeController : Controller
            {
                public string About() => "about";
            }
            """);

        Assert.Equal(
            new[]
            {
                "GET /api/Patients", "GET /api/Patients/{id:int}", "POST /api/Patients/admit", "GET /legacy/patients",
                "GET, HEAD /api/Patients/probe", "PUT /api/Patients/Rename", "ANY /Admin/Users/Index", "ANY /Home/About",
            }.OrderBy(s => s).ToArray(),
            endpoints.Endpoints.Select(e => e.VerbsText + " " + e.Route).OrderBy(s => s).ToArray());
        Assert.All(endpoints.Endpoints, e => Assert.Equal(EndpointKind.ControllerAction, e.Kind));
        Assert.False(Single(endpoints, "ANY", "/Home/About").RouteIsComplete);
        Assert.True(Single(endpoints, "GET", "/api/Patients").RouteIsComplete);
        Assert.Equal("PatientsController.Get", Single(endpoints, "GET", "/api/Patients/{id:int}").HandlerName);
    }

    [Fact]
    public void Controller_authorization_comes_from_the_class_its_bases_the_action_and_the_application()
    {
        var endpoints = Discover(Usings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllers(options => options.Filters.Add(new AuthorizeFilter("Staff")));
            var app = builder.Build();
            app.MapControllers().RequireAuthorization("Mapped");
            app.Run();

            [Authorize(Policy = "Clinician")]
            public abstract class ClinicalController : ControllerBase
            {
            }

            [Route("charts")]
            public sealed class ChartsController : ClinicalController
            {
                [HttpGet]
                public string List() => "charts";

                [HttpGet("public")]
                [AllowAnonymous]
                public string Public() => "public";
            }
            """);

        var list = Single(endpoints, "GET", "/charts");
        Assert.Equal("policies Clinician, Mapped, Staff", list.Authorization.Describe());
        Assert.Contains("[Authorize] on ClinicalController", list.Authorization.Sources);
        Assert.Contains("global AuthorizeFilter", list.Authorization.Sources);
        Assert.Contains(".RequireAuthorization() on MapControllers()", list.Authorization.Sources);
        Assert.Equal("anonymous", Describe(endpoints, "GET", "/charts/public"));
    }

    [Fact]
    public void Audit_comes_from_the_attribute_the_endpoint_filter_and_a_global_filter()
    {
        var endpoints = Discover(
            Usings + """
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            var charts = app.MapGroup("/charts").AuditPhiAccess(AuditAction.Viewed);
            charts.MapGet("/{id}", (int id) => id);
            charts.MapDelete("/{id}", (int id) => id).AuditPhiAccess(AuditAction.Deleted);
            app.MapGet("/plain", () => "plain");
            app.MapControllers();
            app.Run();

            [Route("orders")]
            public sealed class OrdersController : ControllerBase
            {
                [HttpPost]
                [AuditPhiAccess(AuditAction.Modified)]
                public string Create() => "created";

                [HttpGet]
                public string List() => "list";
            }
            """,
            Audit);

        Assert.Equal("audited (Viewed)", Single(endpoints, "GET", "/charts/{id}").Audit.Describe());
        var delete = Single(endpoints, "DELETE", "/charts/{id}");
        Assert.True(delete.Audit.IsAudited);
        Assert.Contains(".AuditPhiAccess() on the endpoint", delete.Audit.Sources);
        Assert.Equal("not audited", Single(endpoints, "GET", "/plain").Audit.Describe());
        Assert.Equal("audited (Modified)", Single(endpoints, "POST", "/orders").Audit.Describe());
        Assert.Equal("not audited", Single(endpoints, "GET", "/orders").Audit.Describe());

        var global = Discover(
            Usings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllers(options => options.Filters.Add<AuditPhiAccessFilter>());
            var app = builder.Build();
            app.MapControllers();
            app.Run();

            [Route("orders")]
            public sealed class OrdersController : ControllerBase
            {
                [HttpGet]
                public string List() => "list";
            }
            """,
            Audit);
        Assert.Equal("audited", Single(global, "GET", "/orders").Audit.Describe());
        Assert.Contains(Single(global, "GET", "/orders").Audit.Sources, s => s.StartsWith("global filter AuditPhiAccessFilter in ", System.StringComparison.Ordinal));
    }

    /// <summary>An application that audits its own way: a filter, middleware, handlers that call its audit service, SaveChanges.</summary>
    private const string AppAudit = """
        using System;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc.Filters;

        public interface IPHIAuditService { Task PublishAccessAsync(int patientId, string operation); }

        public sealed class AuditFilter : IAsyncActionFilter
        {
            public Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next) => next();
        }

        public sealed class LoggingFilter : IActionFilter
        {
            public void OnActionExecuting(ActionExecutingContext context) { }
            public void OnActionExecuted(ActionExecutedContext context) { }
        }

        public sealed class AuditMiddleware
        {
            private readonly RequestDelegate _next;
            public AuditMiddleware(RequestDelegate next) => _next = next;
            public Task InvokeAsync(HttpContext context) => _next(context);
        }

        public sealed class AuditLog { public string Entity { get; set; } = ""; }

        public sealed class ClinicDbContext : Microsoft.EntityFrameworkCore.DbContext
        {
            public override Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
            {
                Add(new AuditLog { Entity = "any" });
                return base.SaveChangesAsync(cancellationToken);
            }
        }

        namespace Microsoft.EntityFrameworkCore
        {
            public class DbContext
            {
                public virtual Task<int> SaveChangesAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);
                public void Add<TEntity>(TEntity entity) { }
            }
        }
        """;

    [Fact]
    public void The_inventory_names_how_each_endpoint_is_audited()
    {
        var endpoints = Discover(
            Usings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllers(o => o.Filters.Add<AuditFilter>());
            var app = builder.Build();
            app.MapGet("/charts/{id}", async (int id, IPHIAuditService audit) =>
            {
                await audit.PublishAccessAsync(id, "GetChart");
                return id;
            });
            app.MapGet("/plain", () => "plain");
            app.MapPost("/patients", () => "created");
            app.MapControllers();
            app.Run();

            [Route("orders")]
            public sealed class OrdersController : ControllerBase
            {
                [HttpGet]
                public string List() => "list";
            }
            """,
            AppAudit);

        Assert.Contains(Single(endpoints, "GET", "/orders").Audit.Sources, s => s.StartsWith("global filter AuditFilter in ", StringComparison.Ordinal));
        Assert.Equal(new[] { "calls IPHIAuditService.PublishAccessAsync" }, Single(endpoints, "GET", "/charts/{id}").Audit.Sources);
        Assert.Equal("SaveChangesAsync override in ClinicDbContext writes AuditLog (writes only)", Assert.Single(Single(endpoints, "POST", "/patients").Audit.Sources));
        Assert.False(Single(endpoints, "GET", "/plain").Audit.IsAudited);

        var middleware = Discover(
            Usings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddControllers(o => o.Filters.Add<LoggingFilter>());
            var app = builder.Build();
            app.UseMiddleware<AuditMiddleware>();
            app.MapGet("/plain", () => "plain");
            app.Run();
            """,
            AppAudit);
        Assert.Contains(Single(middleware, "GET", "/plain").Audit.Sources, s => s.StartsWith("middleware AuditMiddleware in ", StringComparison.Ordinal));
        Assert.DoesNotContain(middleware.Conventions.Notes, n => n.Contains("LoggingFilter", StringComparison.Ordinal));
    }

    [Fact]
    public void Custom_authorize_attributes_give_their_policy_roles_or_a_policy_the_model_cannot_read()
    {
        var endpoints = Discover(Usings + """
            var app = WebApplication.Create(args);
            app.MapControllers();
            app.Run();

            public enum PermissionEnum { ReadPatient, CreatePatient }

            public sealed class HasPermissionAttribute : AuthorizeAttribute
            {
                public HasPermissionAttribute(PermissionEnum permission) : base(policy: permission.ToString()) { }
            }

            public sealed class RequirePermissionAttribute : AuthorizeAttribute
            {
                public RequirePermissionAttribute(PermissionEnum permission) : base($"Permission:{permission}") { }
            }

            public sealed class ClinicianOnlyAttribute : AuthorizeAttribute
            {
                public ClinicianOnlyAttribute(params string[] roles) { Roles = string.Join(",", roles); }
            }

            public sealed class AreaPolicyAttribute : AuthorizeAttribute
            {
                public AreaPolicyAttribute(string area) { Policy = Lookup(area); }
                private static string Lookup(string area) => "area:" + area;
            }

            public sealed class MyAuthorizeAttribute : AuthorizeAttribute { }

            public sealed class RequireClinicianAccessAttribute : Attribute, Microsoft.AspNetCore.Mvc.Filters.IAsyncAuthorizationFilter
            {
                public Task OnAuthorizationAsync(Microsoft.AspNetCore.Mvc.Filters.AuthorizationFilterContext context) => Task.CompletedTask;
            }

            [Route("patients")]
            public sealed class PatientsController : ControllerBase
            {
                [HttpGet("a"), HasPermission(PermissionEnum.ReadPatient)] public string A() => "";
                [HttpGet("b"), RequirePermission(PermissionEnum.CreatePatient)] public string B() => "";
                [HttpGet("c"), ClinicianOnly("Doctor", "Nurse")] public string C() => "";
                [HttpGet("d"), AreaPolicy("charts")] public string D() => "";
                [HttpGet("e"), MyAuthorize] public string E() => "";
                [HttpGet("f"), RequireClinicianAccess] public string F() => "";
            }
            """);

        Assert.Equal("policy ReadPatient", Describe(endpoints, "GET", "/patients/a"));
        Assert.Equal("policy Permission:CreatePatient", Describe(endpoints, "GET", "/patients/b"));
        Assert.Equal("roles Doctor, Nurse", Describe(endpoints, "GET", "/patients/c"));
        Assert.Equal("policy from [AreaPolicy]", Describe(endpoints, "GET", "/patients/d"));
        Assert.False(Single(endpoints, "GET", "/patients/d").Authorization.IsAuthenticationOnly);
        Assert.Equal("authenticated user (default policy)", Describe(endpoints, "GET", "/patients/e"));
        Assert.True(Single(endpoints, "GET", "/patients/e").Authorization.IsAuthenticationOnly);
        Assert.Equal("authorization filter [RequireClinicianAccess]", Describe(endpoints, "GET", "/patients/f"));
        Assert.Contains("[RequireClinicianAccess] on PatientsController.F", Single(endpoints, "GET", "/patients/f").Authorization.Sources);
        Assert.True(Single(endpoints, "GET", "/patients/f").Authorization.IsProtected);
    }

    [Fact]
    public void Types_registered_in_dependency_injection_are_services()
    {
        var compilation = TestCompilation.Create(Usings + """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddSingleton<Registry>();
            builder.Services.AddScoped<IClock, Clock>();
            builder.Services.AddTransient(typeof(Mailer));
            var app = builder.Build();
            app.MapGet("/", (Registry registry) => "ok");
            app.Run();

            public sealed class Registry { }
            public interface IClock { }
            public sealed class Clock : IClock { }
            public sealed class Mailer { }
            public sealed class Patient { }
            """);
        var conventions = EndpointModel.For(compilation).Discover(CancellationToken.None).Conventions;

        foreach (var name in new[] { "Registry", "IClock", "Clock", "Mailer" })
        {
            Assert.True(conventions.IsService(compilation.GetTypeByMetadataName(name)!), name);
        }

        Assert.False(conventions.IsService(compilation.GetTypeByMetadataName("Patient")!));
    }

    [Fact]
    public void Checks_in_the_handler_narrow_authentication_and_are_named_in_the_inventory()
    {
        var endpoints = Discover(Usings + """
            using System.Security.Claims;

            var app = WebApplication.Create(args);
            var group = app.MapGroup("/appointments").RequireAuthorization();
            group.MapGet("/{id}", Handlers.Get);
            group.MapGet("/{id}/chart", (int id, ClaimsPrincipal user) => user.IsInRole("Doctor") ? Results.Ok(id) : Results.Forbid());
            group.MapGet("/plain", () => Results.Ok());
            app.MapGet("/open/{id}", (int id, ClaimsPrincipal user) => user.IsInRole("Doctor") ? Results.Ok(id) : Results.Forbid());
            app.Run();

            public static class Handlers
            {
                public static async Task<IResult> Get(int id, ClaimsPrincipal user, IAuthorizationService authorization)
                {
                    var record = await LoadAsync(id, user, authorization);
                    return Results.Ok(record);
                }

                private static async Task<int> LoadAsync(int id, ClaimsPrincipal user, IAuthorizationService authorization)
                {
                    var result = await authorization.AuthorizeAsync(user, id, "SameClinic");
                    return result.Succeeded ? id : 0;
                }
            }
            """);

        var helper = Single(endpoints, "GET", "/appointments/{id}").Authorization;
        Assert.Equal("authenticated user (default policy); calls IAuthorizationService.AuthorizeAsync in LoadAsync", helper.Describe());
        Assert.Contains("calls IAuthorizationService.AuthorizeAsync in LoadAsync", helper.Sources);
        Assert.False(helper.IsAuthenticationOnly);

        var chart = Single(endpoints, "GET", "/appointments/{id}/chart").Authorization;
        Assert.Equal("authenticated user (default policy); checks IsInRole in the handler", chart.Describe());
        Assert.False(chart.IsAuthenticationOnly);

        Assert.True(Single(endpoints, "GET", "/appointments/plain").Authorization.IsAuthenticationOnly);

        // A check in code is not ASP.NET Core authorization: the endpoint stays unprotected.
        var open = Single(endpoints, "GET", "/open/{id}").Authorization;
        Assert.Equal("none; checks IsInRole in the handler", open.Describe());
        Assert.False(open.IsProtected);
    }

    [Fact]
    public void A_compilation_without_aspnetcore_has_no_endpoints()
    {
        var compilation = TestCompilation.Create("System.Console.WriteLine(\"hello\");");
        Assert.Empty(EndpointModel.For(compilation).Discover(CancellationToken.None).Endpoints);
    }

    private static EndpointInventory Discover(params string[] sources) =>
        EndpointModel.For(TestCompilation.Create(sources)).Discover(CancellationToken.None);

    private static Endpoint Single(EndpointInventory inventory, string verbs, string route)
    {
        var matches = inventory.Endpoints.Where(e => e.VerbsText == verbs && e.Route == route).ToList();
        Assert.True(matches.Count == 1, $"Expected one '{verbs} {route}', found: " + string.Join("; ", inventory.Endpoints));
        return matches[0];
    }

    private static string Describe(EndpointInventory inventory, string verbs, string route) =>
        Single(inventory, verbs, route).Authorization.Describe();
}
