using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA304AuthorizationBypassAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public class HIPAA304AuthorizationBypassTests
{
    [Fact]
    public Task Reports_authorization_that_depends_on_the_environment() => Verify.VerifyAsync(Usings + @"
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers(options =>
{
    if (builder.Environment.IsDevelopment())
    {
        options.Filters.Add({|HIPAA304:new AllowAnonymousFilter()|});
    }
});
var app = builder.Build();
if ({|HIPAA304:!app.Environment.IsDevelopment()|})
{
    app.UseAuthentication();
    app.UseAuthorization();
}

var patients = app.MapGroup(""/patients"");
if ({|HIPAA304:app.Environment.IsDevelopment()|})
{
    patients.AllowAnonymous();
}

var records = app.MapGroup(""/records"");
var secured = {|HIPAA304:app.Environment.EnvironmentName == ""Development""|} ? records : records.RequireAuthorization(""view:records"");
app.Run();
" + Models);

    [Fact]
    public Task Reports_configuration_and_debug_switches() => Verify.VerifyAsync(Usings + @"
using Microsoft.Extensions.Configuration;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
if ({|HIPAA304:app.Configuration[""DisableAuth""] == ""true""|})
{
    app.MapControllers().AllowAnonymous();
}
else
{
    app.MapControllers();
}

if ({|HIPAA304:!builder.Configuration.GetValue<bool>(""Security:SkipAuthorization"")|})
{
    app.UseAuthorization();
}

if ({|HIPAA304:System.Diagnostics.Debugger.IsAttached|})
{
    app.MapGroup(""/debug"").AllowAnonymous();
}
app.Run();

public class Settings
{
    public bool BypassAuthorization { get; set; }

    public void Apply(WebApplication app)
    {
        if ({|HIPAA304:!BypassAuthorization|})
        {
            app.UseAuthorization();
        }
    }
}
" + Models);

    [Fact]
    public Task Reports_header_and_query_switches_that_grant_or_skip_checks() => Verify.VerifyAsync(Usings + @"
using System.Security.Claims;

var app = WebApplication.Create(args);
app.Use(async (context, next) =>
{
    if ({|HIPAA304:context.Request.Headers[""X-Debug-Bypass""] == ""1""|})
    {
        context.User = new ClaimsPrincipal(new ClaimsIdentity(new[] { new Claim(ClaimTypes.Role, ""Admin"") }, ""debug""));
    }

    await next(context);
});
app.Run();

public class PhiGateMiddleware
{
    private readonly RequestDelegate _next;

    public PhiGateMiddleware(RequestDelegate next) => _next = next;

    public async Task InvokeAsync(HttpContext context)
    {
        if ({|HIPAA304:context.Request.Query[""admin""] == ""1""|})
        {
            await _next(context);
            return;
        }

        if (context.User.Identity?.IsAuthenticated != true)
        {
            context.Response.StatusCode = 401;
            return;
        }

        await _next(context);
    }
}
" + Models);

    [Fact]
    public Task Reports_hard_coded_users_and_handlers_that_always_succeed() => Verify.VerifyAsync(Usings + @"
using System.Security.Claims;

public class MinimumRequirement : IAuthorizationRequirement { }

public class AlwaysHandler : AuthorizationHandler<MinimumRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRequirement requirement)
    {
        {|HIPAA304:context.Succeed(requirement)|};
        return Task.CompletedTask;
    }
}

public class EveryoneHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        foreach (var requirement in context.PendingRequirements)
        {
            {|HIPAA304:context.Succeed(requirement)|};
        }

        return Task.CompletedTask;
    }
}

public class AdminHandler : AuthorizationHandler<MinimumRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRequirement requirement)
    {
        if ({|HIPAA304:context.User.Identity?.Name == ""admin""|})
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

public class AccessRules
{
    public bool CanViewRecords(ClaimsPrincipal user, string userId) => {|HIPAA304:userId == ""12345""|} || user.IsInRole(""Clinician"");

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(""open"", policy => {|HIPAA304:policy.RequireAssertion(_ => true)|});
        options.AddPolicy(""boss"", policy => policy.RequireAssertion(context => {|HIPAA304:context.User.FindFirstValue(ClaimTypes.NameIdentifier) == ""42""|}));
    }
}

public class RecordsController : ControllerBase
{
    public IActionResult All()
    {
        if ({|HIPAA304:User.Identity?.Name == ""dr.smith""|})
        {
            return Ok(new PatientStore().All());
        }

        if (!User.IsInRole(""Auditor""))
        {
            return Forbid();
        }

        return Ok(new PatientStore().All());
    }
}

public static class Filters
{
    public static void Add(Microsoft.AspNetCore.Mvc.MvcOptions options) =>
        options.Filters.Add({|HIPAA304:new Microsoft.AspNetCore.Mvc.Authorization.AllowAnonymousFilter()|});
}
" + Models);

    [Fact]
    public Task Leaves_alone_development_tooling_real_checks_and_api_keys() => Verify.VerifyAsync(Usings + @"
using System.Security.Claims;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
if (app.Environment.IsDevelopment())
{
    app.UseDeveloperExceptionPage();
    app.MapHealthChecks(""/health"").AllowAnonymous();
}
else
{
    app.UseExceptionHandler(""/error"");
    app.UseHsts();
}

if (!app.Environment.IsProduction())
{
    Seed.Run();
}

app.UseAuthentication();
app.UseAuthorization();
app.Use(async (context, next) =>
{
    if (context.Request.Path.StartsWithSegments(""/health""))
    {
        await next(context);
        return;
    }

    if (context.Request.Headers[""X-Api-Key""] != app.Configuration[""ApiKey""])
    {
        context.Response.StatusCode = 401;
        return;
    }

    if (context.User.Identity?.IsAuthenticated != true)
    {
        context.Response.StatusCode = 401;
        return;
    }

    await next(context);
});
if (app.Configuration.GetValue<bool>(""Features:Reports""))
{
    app.MapGet(""/reports"", () => ""reports"").RequireAuthorization(""view:reports"");
}

app.Run();

static class Seed { public static void Run() { } }

public class MinimumRequirement : IAuthorizationRequirement { }

public class ClinicianHandler : AuthorizationHandler<MinimumRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MinimumRequirement requirement)
    {
        if (context.User.IsInRole(""Clinician""))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

public class Greeter
{
    public string Greet(ClaimsPrincipal user) => user.Identity?.Name == ""admin"" ? ""Hello, administrator"" : ""Hello"";

    public bool IsValid(string userName) => userName == ""x"";
}
" + Models);
}
