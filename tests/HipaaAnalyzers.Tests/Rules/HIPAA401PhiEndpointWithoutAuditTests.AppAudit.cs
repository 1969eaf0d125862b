using System.Threading.Tasks;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA401PhiEndpointWithoutAuditAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Audit the application writes its own way: global filters, middleware, handlers that call an audit service, SaveChanges.</summary>
public partial class HIPAA401PhiEndpointWithoutAuditTests
{
    private const string AuditUsings = @"using System.Linq;
using System.Threading;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
";

    private const string PatientsController = @"
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
";

    [Fact]
    public Task Leaves_alone_controllers_under_a_global_filter_added_by_type_that_writes_audit_records() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMvc(o => o.Filters.Add<AuditFilter>());
var app = builder.Build();
app.MapControllers();
{|HIPAA401:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
app.Run();

public interface IAuditService { Task LogAsync(int patientId, string action, string? user); }

public sealed class AuditFilter : IAsyncActionFilter
{
    private readonly IAuditService _auditService;
    public AuditFilter(IAuditService auditService) => _auditService = auditService;

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        await next();
        await _auditService.LogAsync(0, context.ActionDescriptor.DisplayName ?? """", context.HttpContext.User.Identity?.Name);
    }
}
"),
        ("/App/PatientsController.cs", Usings + PatientsController + Models),
    });

    [Fact]
    public Task Leaves_alone_controllers_under_a_global_filter_added_by_typeof_or_instance() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers(o => o.Filters.Add(typeof(AuditActionFilter)));
builder.Services.AddControllersWithViews(o => o.Filters.Add(new AuditLogFilter(""clinic"")));
var app = builder.Build();
app.MapControllers();
app.Run();

public sealed class AuditActionFilter : IActionFilter
{
    public void OnActionExecuting(ActionExecutingContext context) { }
    public void OnActionExecuted(ActionExecutedContext context) { }
}

public sealed class AuditLogFilter : IResultFilter
{
    public AuditLogFilter(string application) => Application = application;
    public string Application { get; }
    public void OnResultExecuting(ResultExecutingContext context) { }
    public void OnResultExecuted(ResultExecutedContext context) { }
}
"),
        ("/App/PatientsController.cs", Usings + PatientsController + Models),
    });

    [Fact]
    public Task Leaves_alone_controllers_under_a_filter_whose_body_writes_audit_records() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers(o => o.Filters.Add<RequestTrailFilter>());
var app = builder.Build();
app.MapControllers();
app.Run();

public interface IPhiAuditService { void Record(string path, string? user); }

public sealed class RequestTrailFilter : ActionFilterAttribute
{
    public override void OnActionExecuted(ActionExecutedContext context) => Write(context.HttpContext);

    private static void Write(HttpContext http) =>
        http.RequestServices.GetRequiredService<IPhiAuditService>().Record(http.Request.Path, http.User.Identity?.Name);
}

public sealed class TrailAttribute : ActionFilterAttribute
{
    public override void OnActionExecuting(ActionExecutingContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<IPhiAuditService>().Record(context.HttpContext.Request.Path, null);
}
"),
        ("/App/PatientsController.cs", Usings + PatientsController + @"
[Trail]
public class ChartsController : Controller
{
    public ActionResult<Patient> Get(int id) => new PatientStore().Get(id);
}
" + Models),
    });

    [Fact]
    public Task Reports_controllers_under_a_filter_that_only_logs() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers(o => o.Filters.Add<LoggingFilter>());
var app = builder.Build();
app.MapControllers();
app.Run();

public sealed class LoggingFilter : IActionFilter
{
    private readonly ILogger<LoggingFilter> _logger;
    public LoggingFilter(ILogger<LoggingFilter> logger) => _logger = logger;
    public void OnActionExecuting(ActionExecutingContext context) => _logger.LogInformation(""Executing {Action}"", context.ActionDescriptor.DisplayName);
    public void OnActionExecuted(ActionExecutedContext context) { }
}
"),
        ("/App/PatientsController.cs", Usings + @"
public class PatientsController : ControllerBase
{
    public ActionResult<Patient> {|HIPAA401:Get|}(int id) => new PatientStore().Get(id);
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_every_endpoint_behind_audit_middleware() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.UseMiddleware<AuditMiddleware>();
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.MapControllers();
app.Run();

public sealed class AuditMiddleware
{
    private readonly RequestDelegate _next;
    public AuditMiddleware(RequestDelegate next) => _next = next;
    public Task InvokeAsync(HttpContext context) => _next(context);
}
"),
        ("/App/PatientsController.cs", Usings + PatientsController + Models),
    });

    [Fact]
    public Task Leaves_alone_every_endpoint_behind_a_use_extension_whose_middleware_audits() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.UsePhiAccessTrail();
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.Run();
"),
        ("/App/AccessTrail.cs", Usings + AuditUsings + @"
public interface IAuditTrailWriter { Task WriteAsync(string path, string? user); }

public static class AccessTrailExtensions
{
    public static IApplicationBuilder UsePhiAccessTrail(this IApplicationBuilder app) => app.UseMiddleware<AccessTrailMiddleware>();
}

public sealed class AccessTrailMiddleware
{
    private readonly RequestDelegate _next;
    public AccessTrailMiddleware(RequestDelegate next) => _next = next;

    public async Task InvokeAsync(HttpContext context, IAuditTrailWriter writer)
    {
        await _next(context);
        await writer.WriteAsync(context.Request.Path, context.User.Identity?.Name);
    }
}
" + Models),
    });

    [Fact]
    public Task Reports_behind_middleware_that_only_logs_or_audits_a_branch() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.UseMiddleware<RequestLoggingMiddleware>();
app.UseWhen(context => context.Request.Path.StartsWithSegments(""/admin""), branch => branch.UseMiddleware<AuditMiddleware>());
app.Use(async (context, next) =>
{
    context.RequestServices.GetRequiredService<ILogger<RequestLoggingMiddleware>>().LogInformation(""Request {Path}"", context.Request.Path);
    await next(context);
});
{|HIPAA401:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
app.Run();

public sealed class RequestLoggingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ILogger<RequestLoggingMiddleware> _logger;
    public RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger) { _next = next; _logger = logger; }

    public async Task InvokeAsync(HttpContext context)
    {
        _logger.LogInformation(""Handling {Path}"", context.Request.Path);
        await _next(context);
    }
}

public sealed class AuditMiddleware
{
    private readonly RequestDelegate _next;
    public AuditMiddleware(RequestDelegate next) => _next = next;
    public Task InvokeAsync(HttpContext context) => _next(context);
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_handlers_that_call_an_audit_service() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapPatientEndpoints();
app.MapGet(""/charts/{id:int}"", async (int id, PatientStore store, IAuditService auditService) =>
{
    var patient = store.Get(id);
    await auditService.LogAsync(patient.Id, ""ViewChart"", null);
    return patient;
});
app.MapControllers();
app.Run();

public interface IAuditService { Task LogAsync(int patientId, string action, string? user); }
public interface IPHIAuditService { Task PublishAccessAsync(Guid patientId, string operation); }
"),
        ("/App/PatientEndpoints.cs", Usings + AuditUsings + @"
public static class PatientEndpoints
{
    public static void MapPatientEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(""/api/patients"");
        group.MapGet(""/{id}"", GetPatientById);
    }

    static async Task<IResult> GetPatientById(Guid id, IPHIAuditService auditService, PatientStore store, ILogger<PatientStore> logger)
    {
        await Task.Yield();
        var patient = store.Get(1);
        _ = SafePublishAuditAsync(() => auditService.PublishAccessAsync(id, ""GetPatientById""), logger, ""GetPatientById"");
        return Results.Ok(patient);
    }

    private static async Task SafePublishAuditAsync(Func<Task> publish, ILogger logger, string operation)
    {
        try
        {
            await publish();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, ""Audit publishing failed for {Operation}"", operation);
        }
    }
}
"),
        ("/App/PatientsController.cs", Usings + @"
[Route(""api/[controller]"")]
public class PatientsController : ControllerBase
{
    private readonly IAuditService _auditService;
    private readonly PatientStore _store;

    public PatientsController(IAuditService auditService, PatientStore store)
    {
        _auditService = auditService;
        _store = store;
    }

    [HttpPut(""{id:int}"")]
    public async Task<ActionResult<Patient>> UpdatePatient(int id)
    {
        var patient = _store.Get(id);
        await _auditService.LogAsync(patient.Id, ""UpdatePatient"", User.Identity?.Name);
        return patient;
    }
}
" + Models),
    });

    /// <summary>A patient service behind an interface whose method writes an audit record.</summary>
    private const string AuditingPatientService = @"
public interface IAuditTrail { void Write(int patientId, string action); }

public interface IPatientService { Patient Get(int id); }

public sealed class PatientService : IPatientService
{
    private readonly IAuditTrail _trail;
    public PatientService(IAuditTrail trail) => _trail = trail;

    public Patient Get(int id)
    {
        var patient = new PatientStore().Get(id);
        _trail.Write(patient.Id, ""Viewed"");
        return patient;
    }
}
";

    [Fact]
    public Task Leaves_alone_handlers_that_audit_through_one_helper_or_service_method() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddScoped<IPatientService, PatientService>();
var app = builder.Build();
app.MapControllers();
app.Run();

" + AuditingPatientService),
        ("/App/RecordsController.cs", Usings + @"
public class RecordsController : ControllerBase
{
    private readonly IPatientService _patients;
    private readonly IAuditTrail _trail;

    public RecordsController(IPatientService patients, IAuditTrail trail)
    {
        _patients = patients;
        _trail = trail;
    }

    public ActionResult<Patient> Get(int id) => _patients.Get(id);

    public ActionResult<Patient> Chart(int id)
    {
        var patient = new PatientStore().Get(id);
        Record(patient.Id);
        return patient;
    }

    private void Record(int id) => _trail.Write(id, ""Viewed"");
}
" + Models),
    });

    [Theory]
    [InlineData("services.AddScoped(typeof(IPatientService), typeof(PatientService));")]
    [InlineData("services.AddTransient<IPatientService, PatientService>();")]
    public Task Leaves_alone_handlers_whose_service_audits_when_a_module_registers_it(string registration) =>
        Verify.VerifyFilesAsync(new[]
        {
            ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
PatientsModule.AddPatients(builder.Services);
var app = builder.Build();
app.MapControllers();
app.Run();
"),
            ("/App/PatientsModule.cs", Usings + @"
public static class PatientsModule
{
    public static IServiceCollection AddPatients(IServiceCollection services)
    {
        " + registration + @"
        return services;
    }
}

" + AuditingPatientService),
            ("/App/RecordsController.cs", Usings + @"
public class RecordsController : ControllerBase
{
    private readonly IPatientService _patients;
    public RecordsController(IPatientService patients) => _patients = patients;

    public ActionResult<Patient> Get(int id) => _patients.Get(id);
}
" + Models),
        });

    [Fact]
    public Task Reports_handlers_that_only_log_or_audit_two_calls_down() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
{|HIPAA401:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store, ILogger<PatientStore> logger) =>
{
    logger.LogInformation(""Audit: patient {Id} viewed"", id);
    return store.Get(id);
})|};
app.MapControllers();
app.Run();

public interface IAuditService { void Log(int patientId); }

public sealed class PatientReader
{
    private readonly PatientLoader _loader;
    public PatientReader(PatientLoader loader) => _loader = loader;
    public Patient Read(int id) => _loader.Load(id);
}

public sealed class PatientLoader
{
    private readonly IAuditService _audit;
    public PatientLoader(IAuditService audit) => _audit = audit;

    public Patient Load(int id)
    {
        _audit.Log(id);
        return new PatientStore().Get(id);
    }
}
"),
        ("/App/ChartsController.cs", Usings + @"
public class ChartsController : ControllerBase
{
    private readonly PatientReader _reader;
    public ChartsController(PatientReader reader) => _reader = reader;

    public ActionResult<Patient> {|HIPAA401:Get|}(int id) => _reader.Read(id);
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_endpoint_filters_and_page_handlers_that_audit() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var app = WebApplication.Create(args);
var patients = app.MapGroup(""/patients"").AddEndpointFilter<PhiTrailFilter>();
patients.MapGet(""/{id:int}"", (int id, PatientStore store) => store.Get(id));
app.MapGet(""/charts/{id:int}"", (int id, PatientStore store) => store.Get(id))
   .AddEndpointFilter(async (context, next) =>
   {
       await context.HttpContext.RequestServices.GetRequiredService<IAuditService>().LogAsync(context.HttpContext.Request.Path);
       return await next(context);
   });
{|HIPAA401:app.MapGet(""/records/{id:int}"", (int id, PatientStore store) => store.Get(id))|}.AddEndpointFilter<TimingFilter>();
app.MapRazorPages();
app.Run();

public interface IAuditService { Task LogAsync(string path); }

public sealed class PhiTrailFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        await context.HttpContext.RequestServices.GetRequiredService<IAuditService>().LogAsync(context.HttpContext.Request.Path);
        return await next(context);
    }
}

public sealed class TimingFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) => next(context);
}
"),
        ("/App/Pages/Patients/Details.cshtml.cs", Usings + AuditUsings + @"
using Microsoft.AspNetCore.Mvc.RazorPages;

public class DetailsModel : PageModel
{
    private readonly IAuditService _audit;
    public DetailsModel(IAuditService audit) => _audit = audit;

    public Patient? Patient { get; private set; }

    public async Task OnGetAsync(int id)
    {
        Patient = new PatientStore().Get(id);
        await _audit.LogAsync(""/patients/"" + id);
    }
}

public class ChartModel : PageModel
{
    public Patient? Patient { get; private set; }

    public void {|HIPAA401:OnGet|}(int id) => Patient = new PatientStore().Get(id);
}
" + Models),
    });

    private const string AuditedDbContext = @"
public sealed class AuditLog
{
    public int Id { get; set; }
    public string Entity { get; set; } = """";
    public string State { get; set; } = """";
}

public sealed class ClinicDbContext : DbContext
{
    public ClinicDbContext(DbContextOptions<ClinicDbContext> options) : base(options) { }

    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<AuditLog> AuditLogs => Set<AuditLog>();

    public override Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var entry in ChangeTracker.Entries().ToList())
        {
            AuditLogs.Add(new AuditLog { Entity = entry.Entity.GetType().Name, State = entry.State.ToString() });
        }

        return base.SaveChangesAsync(cancellationToken);
    }
}
";

    [Fact]
    public Task Leaves_alone_writes_but_reports_reads_when_a_save_changes_override_writes_audit_rows() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapPost(""/patients"", async (Patient patient, ClinicDbContext db) =>
{
    db.Patients.Add(patient);
    await db.SaveChangesAsync();
    return Results.Created($""/patients/{patient.Id}"", patient);
});
app.MapDelete(""/patients/{id:int}"", async (int id, ClinicDbContext db) =>
{
    var patient = await db.Patients.FindAsync(id);
    await db.SaveChangesAsync();
    return Results.Ok(patient);
});
{|HIPAA401:app.MapGet(""/patients/{id:int}"", (int id, ClinicDbContext db) => db.Patients.Find(id))|};
app.MapControllers();
app.Run();
"),
        ("/App/ClinicDbContext.cs", Usings + AuditUsings + AuditedDbContext),
        ("/App/PatientsController.cs", Usings + @"
public class PatientsController : ControllerBase
{
    [HttpPut]
    public ActionResult<Patient> Update(Patient patient) => patient;

    [HttpGet]
    public ActionResult<Patient> {|HIPAA401:Get|}(int id) => new PatientStore().Get(id);

    public ActionResult<Patient> {|HIPAA401:Any|}(int id) => new PatientStore().Get(id);
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_writes_when_a_registered_save_interceptor_writes_audit_rows() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + AuditUsings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDbContext<ClinicDbContext>(o => o.AddInterceptors(new PhiChangeInterceptor()));
var app = builder.Build();
app.MapPut(""/patients/{id:int}"", (int id, Patient patient) => patient);
{|HIPAA401:app.MapGet(""/patients/{id:int}"", (int id, PatientStore store) => store.Get(id))|};
app.Run();

public sealed record AuditEntry(string Entity, string State);

public sealed class PhiChangeInterceptor : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        var context = eventData.Context!;
        foreach (var entry in context.ChangeTracker.Entries().ToList())
        {
            context.Add(new AuditEntry(entry.Entity.GetType().Name, entry.State.ToString()));
        }

        return result;
    }
}

public sealed class ClinicDbContext : DbContext
{
    public ClinicDbContext(DbContextOptions<ClinicDbContext> options) : base(options) { }
}
" + Models),
    });

    [Fact]
    public Task Reports_a_controller_that_reads_audit_logs_like_any_other() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/ClinicDbContext.cs", Usings + AuditUsings + AuditedDbContext),
        ("/App/AuditLogsController.cs", Usings + AuditUsings + @"
public sealed record AuditLogView(int Id, string Ssn, string Action);

[Authorize(Policy = ""view:audit"")]
public class AuditLogsController : ControllerBase
{
    private readonly ClinicDbContext _db;
    public AuditLogsController(ClinicDbContext db) => _db = db;

    [HttpGet]
    public ActionResult<List<AuditLogView>> {|HIPAA401:Get|}(string entity) =>
        _db.AuditLogs.Where(l => l.Entity == entity).Select(l => new AuditLogView(l.Id, """", l.State)).ToList();

    [HttpGet(""{id:int}"")]
    public ActionResult<AuditLogView> {|HIPAA401:Find|}(int id) => Describe(_db.AuditLogs.Find(id)!);

    private AuditLogView Describe(AuditLog log) => new(log.Id, """", log.State);
}
" + Models),
    });

    [Fact]
    public Task Leaves_alone_handlers_that_call_a_type_listed_in_the_audit_types_option() => Verify.VerifyWithOptionsAsync(
        new[] { ("/App/Program.cs", Usings + AccessRecorderApp) },
        "hipaa_analyzers.audit_types = Acme.Compliance.AccessRecorder\n");

    [Fact]
    public Task Reports_handlers_that_call_a_type_the_audit_types_option_does_not_list() => Verify.VerifyWithOptionsAsync(
        new[] { ("/App/Program.cs", Usings + AccessRecorderApp.Replace("app.MapGet(", "{|HIPAA401:app.MapGet(").Replace("});\napp.Run", "})|};\napp.Run")) },
        "hipaa_analyzers.audit_types = Other.AccessRecorder\n");

    // The methods a handler calls are read only when their words can hold audit evidence: these call audit types
    // through names that do not say audit (a local of a listed type, a parameter whose type implements an audit interface).
    [Fact]
    public Task Leaves_alone_handlers_whose_service_method_audits_through_names_that_do_not_say_audit() => Verify.VerifyWithOptionsAsync(
        new[]
        {
            ("/App/Program.cs", Usings + @"
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddScoped<IPatientService, PatientService>();
var app = builder.Build();
app.MapGet(""/patients/{id:int}"", (int id, IPatientService patients) => patients.Get(id));
app.MapGet(""/patients/{id:int}/chart"", (int id, IPatientService patients, Journal journal) => patients.Chart(id, journal));
app.Run();

public interface IPatientService
{
    Patient Get(int id);
    Patient Chart(int id, Journal journal);
}

public sealed class PatientService : IPatientService
{
    public Patient Get(int id)
    {
        var recorder = new Acme.Compliance.EventRecorder();
        recorder.Record(id);
        return new PatientStore().Get(id);
    }

    public Patient Chart(int id, Journal journal)
    {
        journal.Append(id);
        return new PatientStore().Get(id);
    }
}

public interface IAuditSink { void Append(int id); }

public sealed class Journal : IAuditSink
{
    public void Append(int id) { }
}

namespace Acme.Compliance
{
    public sealed class EventRecorder
    {
        public void Record(int id) { }
    }
}
" + Models),
        },
        "hipaa_analyzers.audit_types = Acme.Compliance.EventRecorder\n");

    private const string AccessRecorderApp = @"
var app = WebApplication.Create(args);
app.MapGet(""/patients/{id:int}"", (int id, PatientStore store, Acme.Compliance.AccessRecorder recorder) =>
{
    recorder.Record(id);
    return store.Get(id);
});
app.Run();

namespace Acme.Compliance
{
    public sealed class AccessRecorder
    {
        public void Record(int id) { }
    }
}
" + Models;
}
