using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static HipaaAnalyzers.Tests.Verifiers.EndpointTestCode;
using Verify = HipaaAnalyzers.Tests.Verifiers.EndpointVerifier<HipaaAnalyzers.Rules.HIPAA401PhiEndpointWithoutAuditAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>
/// Endpoints that neither take nor return PHI but load, change or delete PHI records through EF Core are PHI endpoints;
/// counting records, checking that one exists, projecting to ids and dates, or touching entities of no one's data is not.
/// </summary>
public partial class HIPAA401PhiEndpointWithoutAuditTests
{
    /// <summary>An EF Core context with patients, their appointments and departments (no PHI).</summary>
    internal const string RecordModels = @"
namespace Clinic
{
    using Microsoft.EntityFrameworkCore;

    public class Patient
    {
        public int Id { get; set; }
        public string Name { get; set; } = """";
        public DateTime Dob { get; set; }
        public string Address { get; set; } = """";
        public DateTime CreatedAt { get; set; }
    }

    public class Appointment
    {
        public int AppointmentId { get; set; }
        public int PatientId { get; set; }
        public Patient Patient { get; set; } = null!;
        public string Issue { get; set; } = """";
        public string Status { get; set; } = """";
    }

    public class Doctor
    {
        public int Id { get; set; }
        public string Name { get; set; } = """";
        public string Email { get; set; } = """";
        public System.Collections.Generic.List<Appointment> Appointments { get; set; } = new();
    }

    public class Department
    {
        public int Id { get; set; }
        public string Name { get; set; } = """";
        public string Floor { get; set; } = """";
    }

    public class ClinicContext : DbContext
    {
        public ClinicContext(DbContextOptions<ClinicContext> options) : base(options) { }

        public DbSet<Patient> Patients { get; set; } = null!;
        public DbSet<Appointment> Appointments { get; set; } = null!;
        public DbSet<Department> Departments { get; set; } = null!;
        public DbSet<Doctor> Doctors { get; set; } = null!;
    }

    public class AppointmentService
    {
        private readonly ClinicContext _context;
        public AppointmentService(ClinicContext context) => _context = context;

        public async Task ArchiveAsync(int id)
        {
            var appointment = await _context.Set<Appointment>().FindAsync(id);
            appointment!.Status = ""Archived"";
            await _context.SaveChangesAsync();
        }
    }
}
";

    /// <summary>
    /// An MVC controller checked by session (no [Authorize]) and an API controller: markup {|#n:...|} marks the PHI
    /// endpoints, in source order, which each rule's test turns into its own rule id (or checks the messages of).
    /// </summary>
    internal const string RecordControllers = @"
using System.Linq;
using Microsoft.EntityFrameworkCore;

public class DoctorController : Controller
{
    private readonly ClinicContext _context;
    private readonly AppointmentService _appointments;

    public DoctorController(ClinicContext context, AppointmentService appointments)
    {
        _context = context;
        _appointments = appointments;
    }

    [HttpPost]
    public async Task<IActionResult> {|#0:MarkAsCompleted|}(int appointmentId)
    {
        if (HttpContext.Session.GetString(""Role"") != ""Doctor"") return RedirectToAction(""Login"", ""Account"");
        var appointment = await _context.Appointments.Include(a => a.Patient).FirstOrDefaultAsync(a => a.AppointmentId == appointmentId);
        appointment!.Status = ""Completed"";
        await _context.SaveChangesAsync();
        return RedirectToAction(""DoctorViewAppointment"");
    }

    [HttpPost]
    public async Task<IActionResult> {|#1:Archive|}(int appointmentId)
    {
        await _appointments.ArchiveAsync(appointmentId);
        return RedirectToAction(""DoctorViewAppointment"");
    }

    [HttpGet]
    public IActionResult {|#2:Mailing|}()
    {
        int count = 0;
        foreach (var patient in _context.Patients.Where(p => p.Address != """"))
        {
            count++;
        }

        ViewBag.Count = count;
        return View();
    }

    [HttpGet]
    public async Task<IActionResult> Dashboard()
    {
        ViewBag.Patients = await _context.Patients.CountAsync();
        ViewBag.Open = await _context.Appointments.LongCountAsync(a => a.Status == ""Open"");
        ViewBag.Any = await _context.Appointments.AnyAsync();
        return View();
    }
}

[ApiController]
[Route(""api/patients"")]
public class PatientsController : ControllerBase
{
    private readonly ClinicContext _context;

    public PatientsController(ClinicContext context) => _context = context;

    [HttpDelete(""{id}"")]
    public async Task<IActionResult> {|#3:DeletePatient|}(int id)
    {
        var patient = await _context.Patients.FindAsync(id);
        if (patient == null) return NotFound();
        _context.Patients.Remove(patient);
        await _context.SaveChangesAsync();
        return NoContent();
    }

    [HttpGet(""names"")]
    public async Task<IActionResult> {|#4:Names|}() => Ok((await _context.Patients.Select(p => p.Name).ToListAsync()).Count);

    [HttpGet(""count"")]
    public async Task<IActionResult> Count() => Ok(await _context.Patients.CountAsync());

    [HttpGet(""{id}/exists"")]
    public async Task<IActionResult> Exists(int id) => await _context.Patients.AnyAsync(p => p.Id == id) ? Ok() : NotFound();

    [HttpGet(""recent"")]
    public async Task<IActionResult> Recent()
    {
        var rows = await _context.Patients.Select(p => new { p.Id, p.CreatedAt }).ToListAsync();
        return Ok(rows.Count);
    }

    [HttpGet(""roster"")]
    public async Task<IActionResult> {|#5:Roster|}()
    {
        var rows = await _context.Patients.OrderBy(p => p.Name).Select(p => new { p.Id, p.Name, p.Dob }).ToListAsync();
        return Ok(rows.Count);
    }

    [HttpDelete(""doctors/{id}"")]
    public async Task<IActionResult> DeleteDoctor(int id)
    {
        var doctor = await _context.Doctors.FindAsync(id);
        if (doctor == null) return NotFound();
        _context.Doctors.Remove(doctor);
        await _context.SaveChangesAsync();
        return NoContent();
    }

    [HttpPost(""departments/{id}/close"")]
    public async Task<IActionResult> CloseDepartment(int id)
    {
        var department = await _context.Departments.FindAsync(id);
        if (department == null) return NotFound();
        _context.Departments.Remove(department);
        await _context.SaveChangesAsync();
        return NoContent();
    }
}
";

    /// <summary>Minimal API endpoints: a bulk delete in a lambda, a dashboard of counts and a list of department names.</summary>
    internal const string RecordProgram = @"
using System.Linq;
using Microsoft.EntityFrameworkCore;

var app = WebApplication.Create(args);
{|R:app.MapDelete(""/appointments/{id:int}"", async (int id, ClinicContext db) =>
{
    await db.Appointments.Where(a => a.AppointmentId == id).ExecuteDeleteAsync();
    return Results.NoContent();
})|};
app.MapGet(""/dashboard"", async (ClinicContext db) => Results.Ok(new Totals(await db.Patients.CountAsync(), await db.Appointments.LongCountAsync())));
app.MapGet(""/departments"", async (ClinicContext db) => (await db.Departments.ToListAsync()).Count);
app.MapControllers();
app.Run();

public sealed record Totals(int Total, long Booked);
";

    /// <summary>The test code for one rule: every marked endpoint reported by <paramref name="rule"/>.</summary>
    internal static string RecordSources(string code, string rule) =>
        Regex.Replace(code.Replace("{|R:", "{|" + rule + ":"), @"\{\|#\d:", "{|" + rule + ":");

    /// <summary>The test code without markup: no endpoint reported.</summary>
    internal static string Unmarked(string code) => Regex.Replace(code, @"\{\|(R|#\d):|\|\}", string.Empty);

    [Fact]
    public Task Reports_endpoints_that_change_or_read_phi_records_through_ef_core() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Program.cs", Usings + RecordSources(RecordProgram, "HIPAA401")),
        ("/App/Controllers.cs", Usings + RecordSources(RecordControllers, "HIPAA401") + RecordModels),
    });

    [Fact]
    public Task Words_record_endpoints_by_what_they_do_to_the_records() => Verify.VerifyFilesAsync(
        new[] { ("/App/Controllers.cs", Usings + RecordControllers + RecordModels) },
        Expected(0, "DoctorController.MarkAsCompleted", "loads Appointment records (carries Appointment.Patient > Patient.Name (name: person name))"),
        Expected(1, "DoctorController.Archive",
            "loads Appointment records through AppointmentService.ArchiveAsync (carries Appointment.PatientId (links the record to a patient))"),
        Expected(2, "DoctorController.Mailing", "reads Patient records (carries Patient.Name (name: person name))"),
        Expected(3, "DELETE /api/patients/{id}", "changes Patient records (carries Patient.Name (name: person name))"),
        Expected(4, "GET /api/patients/names", "reads Patient records (selects Patient.Name (name: person name))"),
        Expected(5, "GET /api/patients/roster", "reads Patient records (selects Name (name: person name))"));

    private static DiagnosticResult Expected(int location, string endpoint, string phi) =>
        new DiagnosticResult("HIPAA401", DiagnosticSeverity.Warning).WithLocation(location).WithArguments(endpoint, phi);

    [Fact]
    public Task Leaves_alone_record_writes_that_are_audited() => Verify.VerifyFilesAsync(new[]
    {
        ("/App/Controllers.cs", Usings + @"
using Microsoft.EntityFrameworkCore;
using HipaaAnalyzers.Runtime.AspNetCore;
using HipaaAnalyzers.Runtime.Audit;

public interface IAuditService { Task LogAsync(int patientId, string action); }

public class DoctorController : Controller
{
    private readonly ClinicContext _context;
    private readonly IAuditService _audit;

    public DoctorController(ClinicContext context, IAuditService audit)
    {
        _context = context;
        _audit = audit;
    }

    [HttpPost]
    [AuditPhiAccess(AuditAction.Modified)]
    public async Task<IActionResult> MarkAsCompleted(int appointmentId)
    {
        var appointment = await _context.Appointments.Include(a => a.Patient).FirstOrDefaultAsync(a => a.AppointmentId == appointmentId);
        appointment!.Status = ""Completed"";
        await _context.SaveChangesAsync();
        return RedirectToAction(""DoctorViewAppointment"");
    }

    [HttpDelete]
    public async Task<IActionResult> DeletePatient(int id)
    {
        var patient = await _context.Patients.FindAsync(id);
        if (patient == null) return NotFound();
        _context.Patients.Remove(patient);
        await _context.SaveChangesAsync();
        await _audit.LogAsync(id, ""Deleted"");
        return NoContent();
    }
}
" + RecordModels),
    });
}
