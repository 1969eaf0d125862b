using System.Threading.Tasks;
using HipaaAnalyzers.CodeFixes.Rules;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA902RuntimeFeatureWithoutRegistrationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public class HIPAA902RuntimeFeatureWithoutRegistrationTests
{
    /// <summary>The runtime's access policy registration, declared with its real names (the endpoint runtime stub has the audit).</summary>
    private const string AccessPolicies = @"
using Microsoft.Extensions.DependencyInjection;

namespace HipaaAnalyzers.Runtime.AspNetCore
{
    public sealed class HipaaAccessPolicyOptions
    {
        public System.TimeZoneInfo? TimeZone { get; set; }
    }

    public static class HipaaAccessPolicyServiceCollectionExtensions
    {
        public static IServiceCollection AddHipaaAccessPolicies(this IServiceCollection services, string json, System.Action<HipaaAccessPolicyOptions> configure) => services;
    }
}
";

    private const string Controller = Usings + @"using HipaaAnalyzers.Runtime.AspNetCore;

[ApiController, Route(""api/patients"")]
[Authorize(Policy = ""view:patients"")]
[AuditPhiAccess]
public class PatientsController : ControllerBase
{
    [HttpGet(""{id}"")]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models;

    private const string MarkedController = Usings + @"using HipaaAnalyzers.Runtime.AspNetCore;

[ApiController, Route(""api/patients"")]
[Authorize(Policy = ""view:patients"")]
[{|HIPAA902:AuditPhiAccess|}]
public class PatientsController : ControllerBase
{
    [HttpGet(""{id}"")]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models;

    [Fact]
    public Task Reports_audit_used_without_AddHipaaAudit() => Verify.VerifyFilesAsync(new[]
    {
        ("/0/Program.cs", @"using HipaaAnalyzers.Runtime.AspNetCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddAuthorization(o => o.AddPolicy(""view:patients"", p => p.RequireRole(""clinician"")));
var app = builder.Build();
app.MapGet(""/patients/{id}"", (int id) => id).RequireAuthorization(""view:patients"").{|HIPAA902:AuditPhiAccess|}();
app.MapControllers();
app.Run();
"),
        ("/0/PatientsController.cs", MarkedController),
    });

    [Fact]
    public Task Leaves_audit_alone_when_it_is_registered_or_maybe_registered_by_the_app() => Verify.VerifyFilesAsync(new[]
    {
        ("/0/Program.cs", @"using HipaaAnalyzers.Runtime.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddAuthorization(o => o.AddPolicy(""view:patients"", p => p.RequireRole(""clinician"")));
builder.Services.AddClinicAudit();
var app = builder.Build();
app.MapControllers();
app.Run();

static class ClinicServices
{
    public static IServiceCollection AddClinicAudit(this IServiceCollection services) => services.AddHipaaAudit();
}
"),
        ("/0/PatientsController.cs", Controller),
    });

    [Fact]
    public Task Leaves_a_library_without_a_startup_alone() => Verify.VerifyAsync(Controller);

    [Fact]
    public Task Reports_policies_nothing_defines() => Verify.VerifyFilesAsync(new[]
    {
        ("/0/Program.cs", @"using HipaaAnalyzers.Runtime.AspNetCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddHipaaAudit();
builder.Services.AddAuthorization(o => o.AddPolicy(""admin"", p => p.RequireRole(""admin"")));
var app = builder.Build();
app.MapGet(""/patients/{id}"", (int id) => id).RequireAuthorization({|HIPAA902:""edit:patients""|}, ""admin"");
app.MapGet(""/reports"", () => 1).RequireAuthorization();
app.MapControllers();
app.Run();
"),
        ("/0/PatientsController.cs", Usings + @"
[ApiController, Route(""api/patients"")]
[{|HIPAA902:Authorize(Policy = ""view:patients"")|}]
public class PatientsController : ControllerBase
{
    [HttpGet(""{id}"")]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [HttpDelete(""{id}""), {|HIPAA902:Authorize(""delete:patients"")|}, Authorize(Roles = ""admin"")]
    public IActionResult Delete(int id) => NoContent();
}
" + Models),
    });

    [Theory]
    [InlineData(@"builder.Services.AddAuthorization(o => o.AddPolicy(""view:patients"", p => p.RequireRole(""clinician"")));", "")]
    [InlineData(@"builder.Services.AddAuthorizationBuilder().AddPolicy(""view:patients"", p => p.RequireRole(""clinician""));", "")]
    [InlineData(@"builder.Services.AddAuthorization(o => { foreach (var name in new[] { ""view:patients"" }) o.AddPolicy(name, p => p.RequireClaim(""permission"", name)); });", "")]
    [InlineData(@"builder.Services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();", @"
sealed class PermissionPolicyProvider : DefaultAuthorizationPolicyProvider
{
    public PermissionPolicyProvider(IOptions<AuthorizationOptions> options) : base(options) { }
}
")]
    [InlineData(@"builder.Services.AddPermissionPolicies();", "")]
    [InlineData(@"builder.Services.AddDefaultAuthentication(builder.Configuration);", "")]
    [InlineData(@"builder.Services.AddHipaaAccessPolicies(""[]"", o => o.TimeZone = System.TimeZoneInfo.Utc);", "")]
    public Task Leaves_policies_alone_when_defined_or_defined_where_it_cannot_read(string registration, string declarations) => Verify.VerifyFilesAsync(new[]
    {
        ("/0/Program.cs", @"using System.Threading.Tasks;
using HipaaAnalyzers.Runtime.AspNetCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddHipaaAudit();
" + registration + @"
var app = builder.Build();
app.MapControllers();
app.Run();
" + declarations + @"
static class PermissionRegistration
{
    public static IServiceCollection AddPermissionPolicies(this IServiceCollection services) => services;

    // In the real shape this lives in a shared project and adds the JWT scheme and the policies together.
    public static IServiceCollection AddDefaultAuthentication(this IServiceCollection services, object configuration) => services;
}
"),
        ("/0/PatientsController.cs", Controller),
        ("/0/AccessPolicies.cs", AccessPolicies),
    });

    [Fact]
    public Task Fix_registers_the_file_audit_sink_and_the_audit_before_the_app_is_built() => Verify.VerifyFixAsync<HIPAA902RuntimeFeatureWithoutRegistrationFixer>(
        new[]
        {
            ("/0/Program.cs", @"using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddAuthorization(o => o.AddPolicy(""view:patients"", p => p.RequireRole(""clinician"")));

var app = builder.Build();
app.MapControllers();
app.Run();
"),
            ("/0/PatientsController.cs", MarkedController),
        },
        new[]
        {
            ("/0/Program.cs", @"using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using HipaaAnalyzers.Runtime.AspNetCore;
using HipaaAnalyzers.Runtime;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddAuthorization(o => o.AddPolicy(""view:patients"", p => p.RequireRole(""clinician"")));
builder.Services.AddHipaaAuditFileSink(builder.Configuration[""Audit:Path""] ?? ""audit/audit.jsonl"");
builder.Services.AddHipaaAudit();

var app = builder.Build();
app.MapControllers();
app.Run();
"),
            ("/0/PatientsController.cs", Controller),
        },
        HIPAA902RuntimeFeatureWithoutRegistrationFixer.AuditKey);

    [Fact]
    public Task Fix_defines_every_undefined_permission_once_in_ConfigureServices() => Verify.VerifyFixAsync<HIPAA902RuntimeFeatureWithoutRegistrationFixer>(
        new[]
        {
            ("/0/Startup.cs", @"using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

public sealed class Startup
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddControllers();
        services.AddAuthorization(o => o.AddPolicy(""admin"", p => p.RequireRole(""admin"")));
    }
}
"),
            ("/0/PatientsController.cs", Usings + @"
[ApiController, Route(""api/patients"")]
[{|HIPAA902:Authorize(Policy = ""view:patients"")|}]
public class PatientsController : ControllerBase
{
    [HttpGet(""{id}"")]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [HttpDelete(""{id}""), {|HIPAA902:Authorize(""edit:patients"")|}, Authorize(""admin"")]
    public IActionResult Delete(int id) => NoContent();
}
" + Models),
            ("/0/AccessPolicies.cs", AccessPolicies),
        },
        new[]
        {
            ("/0/Startup.cs", @"using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using HipaaAnalyzers.Runtime.AspNetCore;

public sealed class Startup
{
    public void ConfigureServices(IServiceCollection services)
    {
        services.AddControllers();
        services.AddAuthorization(o => o.AddPolicy(""admin"", p => p.RequireRole(""admin"")));
        // Each permission the endpoints ask for, granted to a role of the same name that nobody holds yet (those endpoints
        // answer 403): grant the permissions to your real roles, and move the definitions to a roles file.
        services.AddHipaaAccessPolicies(@""[
    {""""role"""": """"edit:patients"""", """"permissions"""": [""""edit:patients""""]},
    {""""role"""": """"view:patients"""", """"permissions"""": [""""view:patients""""]}
]"", options => options.TimeZone = System.TimeZoneInfo.Utc);
    }
}
"),
            ("/0/PatientsController.cs", Usings + @"
[ApiController, Route(""api/patients"")]
[Authorize(Policy = ""view:patients"")]
public class PatientsController : ControllerBase
{
    [HttpGet(""{id}"")]
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);

    [HttpDelete(""{id}""), Authorize(""edit:patients""), Authorize(""admin"")]
    public IActionResult Delete(int id) => NoContent();
}
" + Models),
            ("/0/AccessPolicies.cs", AccessPolicies),
        },
        HIPAA902RuntimeFeatureWithoutRegistrationFixer.PoliciesKey);

    /// <summary>The runtime's EF Core integration, declared with its real names.</summary>
    private const string FieldEncryption = @"
using System;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HipaaAnalyzers.Runtime.EntityFrameworkCore
{
    public static class FieldEncryptionDbContextOptionsExtensions
    {
        public static DbContextOptionsBuilder UseFieldEncryption(this DbContextOptionsBuilder optionsBuilder, IServiceProvider services) => optionsBuilder;
    }

    public static class FieldEncryptionServiceCollectionExtensions
    {
        public static IServiceCollection AddHipaaEntityFrameworkCoreEncryption(this IServiceCollection services) => services;
    }
}

namespace Clinic.Data
{
    public static class StoreOptions
    {
        public static DbContextOptionsBuilder UseClinicStore(this DbContextOptionsBuilder options, string connection) => options;
    }
}
";

    private const string EncryptedEntities = @"
using System;
using HipaaAnalyzers.Runtime;
using Microsoft.EntityFrameworkCore;

namespace Clinic.Data
{
    public sealed class ClinicDbContext : DbContext
    {
        public ClinicDbContext(DbContextOptions<ClinicDbContext> options) : base(options) { }
        public DbSet<Patient> Patients => Set<Patient>();
    }

    public sealed class Patient
    {
        public Guid Id { get; set; }
        [{|HIPAA902:Encrypted|}]
        public string Ssn { get; set; } = """";
        [{|HIPAA902:Encrypted|}]
        public DateOnly DateOfBirth { get; set; }
    }
}
";

    [Fact]
    public Task Reports_encrypted_columns_of_a_context_registered_without_field_encryption_and_the_fix_adds_it() =>
        Verify.VerifyFixAsync<HIPAA902RuntimeFeatureWithoutRegistrationFixer>(
            new[]
            {
                ("/0/Program.cs", @"using Clinic.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDbContext<ClinicDbContext>(options => options.UseClinicStore(""Data Source=clinic.db""));

var app = builder.Build();
app.Run();
"),
                ("/0/Data.cs", EncryptedEntities),
                ("/0/FieldEncryption.cs", FieldEncryption),
            },
            new[]
            {
                ("/0/Program.cs", @"using Clinic.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using HipaaAnalyzers.Runtime.EntityFrameworkCore;
using HipaaAnalyzers.Runtime;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDbContext<ClinicDbContext>((provider, options) => options.UseClinicStore(""Data Source=clinic.db"").UseFieldEncryption(provider));
builder.Services.AddHipaaEncryption();
builder.Services.AddHipaaEntityFrameworkCoreEncryption();

var app = builder.Build();
app.Run();
"),
                ("/0/Data.cs", EncryptedEntities.Replace("{|HIPAA902:Encrypted|}", "Encrypted")),
                ("/0/FieldEncryption.cs", FieldEncryption),
            },
            HIPAA902RuntimeFeatureWithoutRegistrationFixer.EncryptionKey);

    [Fact]
    public Task Leaves_encrypted_columns_alone_when_a_context_uses_field_encryption() => Verify.VerifyFilesAsync(new[]
    {
        ("/0/Program.cs", @"using Clinic.Data;
using HipaaAnalyzers.Runtime.EntityFrameworkCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDbContext<ClinicDbContext>((provider, options) => options.UseClinicStore(""Data Source=clinic.db"").UseFieldEncryption(provider));
var app = builder.Build();
app.Run();
"),
        ("/0/Data.cs", EncryptedEntities.Replace("{|HIPAA902:Encrypted|}", "Encrypted")),
        ("/0/FieldEncryption.cs", FieldEncryption),
    });
}
