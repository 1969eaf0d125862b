using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA001PhiInLogAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA001PhiInLogTests
{
    private const string Models = @"
namespace Clinic
{
    using HipaaAnalyzers.Runtime;
    public class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
        public string FirstName { get; set; } = """";
        public string Email { get; set; } = """";
        public System.DateTime DateOfBirth { get; set; }
        public int VisitCount { get; set; }
        public bool HasInsurance { get; set; }
    }

    public class Product
    {
        public string Name { get; set; } = """";
        public string Email { get; set; } = """";
    }

    public class Order
    {
        [Phi] public string Notes { get; set; } = """";
        [NotPhi] public string DiagnosisCategory { get; set; } = """";
        [Phi] public int Code { get; set; }
    }

    [Phi]
    public class Encounter
    {
        public string Reason { get; set; } = """";
        public int Age { get; set; }
        public bool Urgent { get; set; }
        [NotPhi] public string Ward { get; set; } = """";
    }
}
";

    [Fact]
    public Task Reports_phi_property_passed_to_logger_extension() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger<Svc> log, Patient p)
    {
        log.LogInformation(""Patient {Ssn}"", {|HIPAA001:p.Ssn|});
        log.LogWarning(""Born {Dob}"", {|HIPAA001:p.DateOfBirth|});
        log.Log(LogLevel.Error, ""Name {Name}"", {|HIPAA001:p.FirstName|});
    }
}" + Models);

    [Fact]
    public Task Reports_phi_inside_interpolated_and_concatenated_messages() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation($""Patient {{|HIPAA001:p.Ssn|}} checked in"");
        log.LogInformation(""Email: "" + {|HIPAA001:p.Email|});
        log.LogInformation(string.Format(""{0}"", {|HIPAA001:p.FirstName|}));
    }
}" + Models);

    [Fact]
    public Task Reports_phi_that_flows_through_locals_builders_and_conditionals() => Verify.VerifyAsync(@"
using System.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p, Patient[] all, bool verbose)
    {
        var message = ""Patient "" + p.Ssn;
        log.LogInformation({|HIPAA001:message|});

        var sb = new StringBuilder();
        sb.Append(""dob="").Append(p.DateOfBirth);
        log.LogInformation({|HIPAA001:sb.ToString()|});

        var shown = verbose ? p.Email : ""hidden"";
        log.LogDebug({|HIPAA001:shown|});

        log.LogInformation(string.Join("","", all.Select(x => {|HIPAA001:x.Ssn|})));
        log.LogInformation(""{Who}"", {|HIPAA001:p.FirstName|} ?? ""unknown"");
    }
}" + Models);

    [Fact]
    public Task Reports_phi_in_collections_anonymous_objects_and_tuples() => Verify.VerifyAsync(@"
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        var ids = new List<string> { p.Ssn };
        log.LogInformation(""{Ids}"", {|HIPAA001:ids|});

        var names = new List<string>();
        names.Add(p.FirstName);
        log.LogInformation(""{Names}"", {|HIPAA001:names|});

        log.LogInformation(""{@Who}"", new { p.Id, Email = {|HIPAA001:p.Email|} });
        log.LogInformation(""{Pair}"", ({|HIPAA001:p.Ssn|}, p.Id));

        var counts = new List<int> { p.VisitCount };
        log.LogInformation(""{Counts}"", counts);
    }
}" + Models);

    [Fact]
    public Task Reports_phi_returned_by_methods_of_the_same_compilation() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    static string Describe(Patient p) => $""{p.FirstName} ({p.DateOfBirth:d})"";
    static string Quote(string text) => ""'"" + text + ""'"";

    void Run(ILogger log, Patient p)
    {
        log.LogInformation({|HIPAA001:Describe(p)|});
        log.LogInformation(Quote({|HIPAA001:p.Ssn|}));
        log.LogInformation(Quote(""static text""));
    }
}" + Models);

    [Fact]
    public Task Reports_phi_parameters_and_attributes() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using HipaaAnalyzers.Runtime;
using Clinic;
class Svc
{
    void Lookup(ILogger log, string ssn, [Phi] string note, Order order, Encounter encounter)
    {
        log.LogInformation(""Looking up {Ssn}"", {|HIPAA001:ssn|});
        log.LogInformation(""Note {Note}"", {|HIPAA001:note|});
        log.LogInformation(""Order {Notes}"", {|HIPAA001:order.Notes|});
        log.LogInformation(""Reason {Reason}"", {|HIPAA001:encounter.Reason|});
        log.LogInformation(""Ward {Ward}"", encounter.Ward);
        log.LogInformation(""Age {Age}"", {|HIPAA001:encounter.Age|});
        System.Console.WriteLine({|HIPAA001:order.Code|});
        log.LogInformation(""Category {C}"", order.DiagnosisCategory);
    }
}" + Models);

    [Fact]
    public Task Reports_every_logging_library_and_console() => Verify.VerifyAsync(@"
using System;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(Serilog.ILogger serilog, NLog.Logger nlog, log4net.ILog log4, Microsoft.Extensions.Logging.ILogger mel, Patient p)
    {
        serilog.Information(""Patient {Ssn}"", {|HIPAA001:p.Ssn|});
        Serilog.Log.Warning(""Patient {Ssn}"", {|HIPAA001:p.Ssn|});
        nlog.Info(""Patient {Ssn}"", {|HIPAA001:p.Ssn|});
        log4.InfoFormat(""Patient {0}"", {|HIPAA001:p.Ssn|});
        log4.Info({|HIPAA001:p.Ssn|});
        Console.WriteLine({|HIPAA001:p.Ssn|});
        Console.Error.WriteLine({|HIPAA001:p.Email|});
        Debug.WriteLine({|HIPAA001:p.Ssn|});
        Trace.TraceInformation(""{0}"", {|HIPAA001:p.Ssn|});
        using (mel.BeginScope(""Patient {Ssn}"", {|HIPAA001:p.Ssn|}))
        {
        }
    }
}" + Models);

    [Fact]
    public Task Reports_logger_message_methods_and_define_delegates() => Verify.VerifyAsync(@"
using System;
using Microsoft.Extensions.Logging;
using Clinic;
static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = ""Admitted {Ssn}"")]
    public static partial void Admitted(ILogger logger, string ssn);

    public static partial void Admitted(ILogger logger, string ssn) { }
}
class Svc
{
    static readonly Action<ILogger, string, Exception?> Seen =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(2), ""Seen {Name}"");

    void Run(ILogger log, Patient p)
    {
        Log.Admitted(log, {|HIPAA001:p.Ssn|});
        Seen(log, {|HIPAA001:p.FirstName|}, null);
    }
}" + Models);

    [Fact]
    public Task Long_generated_concatenations_are_followed_without_exhausting_the_stack()
    {
        var terms = string.Join(" + ", System.Linq.Enumerable.Range(0, 3000).Select(i => $"\"t{i}\""));
        return Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation({|HIPAA001:p.Ssn|} + " + terms + @" + {|HIPAA001:p.Email|});
    }
}" + Models);
    }

    [Fact]
    public Task Leaves_alone_sanitized_values_non_phi_members_and_non_person_types() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using HipaaAnalyzers.Runtime;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p, Product product)
    {
        log.LogInformation(""Patient {Ssn}"", Phi.Redact(p.Ssn));
        log.LogInformation(""Patient {Ssn}"", Phi.Pseudonymize(p.Ssn));
        log.LogInformation($""Patient {Phi.Redact(p.Email)}"");
        log.LogInformation(""Patient {Id} with {Count} visits, insured: {Insured}"", p.Id, p.VisitCount, p.HasInsurance);
        log.LogInformation(""Product {Name} {Email}"", product.Name, product.Email);
        log.LogInformation(""SSN length {Length}"", p.Ssn.Length);
        log.LogInformation(""Born in {Year}"", p.DateOfBirth.Year);
        log.LogInformation(""Looking up patients by SSN"");
    }
}" + Models);

    [Fact]
    public Task Locals_are_judged_by_what_flows_in_and_by_name_only_for_unknown_origins() => Verify.VerifyAsync(@"
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using HipaaAnalyzers.Runtime;
using Clinic;
class Svc
{
    void Run(ILogger log, HttpRequest request, Patient p)
    {
        string ssn = request.Query[""ssn""].ToString();
        log.LogInformation(""Lookup {Ssn}"", {|HIPAA001:ssn|});

        var dob = Phi.Redact(p.DateOfBirth);
        log.LogInformation(""Born {Dob}"", dob);

        var diagnosis = ""pending"";
        log.LogInformation(""Diagnosis {D}"", diagnosis);
    }
}" + Models);

    [Fact]
    public Task Leaves_alone_phi_that_only_reaches_a_non_sink() => Verify.VerifyAsync(@"
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    private readonly Dictionary<string, Patient> _bySsn = new();

    void Run(ILogger log, Patient p)
    {
        _bySsn[p.Ssn] = p;
        var message = ""Patient "" + p.Ssn;
        Store(message);
        var found = _bySsn.ContainsKey(p.Ssn);
        log.LogInformation(""Found: {Found}"", found);
        log.LogInformation(""Patient {Id} stored"", p.Id);
    }

    void Store(string text) { }
}" + Models);

    [Fact]
    public Task Leaves_alone_names_that_describe_phi_but_hold_none() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
class Svc
{
    private const string SsnPattern = @""^\d{3}-\d{2}-\d{4}$"";
    private readonly string _ssnLabel = ""SSN"";

    void Run(ILogger log, string ssnFormat, int diagnosisCount, string userName, string email)
    {
        log.LogInformation(""Pattern {P}"", SsnPattern);
        log.LogInformation(""Label {L}"", _ssnLabel);
        log.LogInformation(""Format {F}"", ssnFormat);
        log.LogInformation(""{Count} diagnoses"", diagnosisCount);
        log.LogInformation(""Signed in as {User} {Email}"", userName, email);
    }
}");

    [Fact]
    public Task Weak_names_count_in_person_methods_and_phi_carrying_types() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
class Visit
{
    public string Diagnosis { get; set; } = """";
    public string Phone { get; set; } = """";
}
class Svc
{
    void RegisterPatient(ILogger log, string email, Visit visit)
    {
        log.LogInformation(""Registering {Email}"", {|HIPAA001:email|});
        log.LogInformation(""Phone {Phone}"", {|HIPAA001:visit.Phone|});
    }
}");

    [Fact]
    public Task Weak_names_in_services_about_patients_count_for_parameters_not_for_fields() => Verify.VerifyAsync(@"
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
class PatientsController
{
    private readonly string _fromAddress = ""clinic@example.test"";
    private readonly ILogger _log = null!;

    public void Invite(string email, string phoneNumber)
    {
        _log.LogInformation(""Inviting {Email} {Phone}"", {|HIPAA001:email|}, {|HIPAA001:phoneNumber|});
        _log.LogInformation(""Sending from {From}"", _fromAddress);
        Trace();
    }

    private void Trace([CallerMemberName] string memberName = """")
    {
        _log.LogDebug(""Entered {Member}"", memberName);
    }
}
class PatientDto
{
    public string Name { get; set; } = """";
    public string FileName { get; set; } = """";
    public string ServerAddress { get; set; } = """";
}
class Svc
{
    void Run(ILogger log, PatientDto dto, string recipientEmail)
    {
        log.LogInformation(""{Name}"", {|HIPAA001:dto.Name|});
        log.LogInformation(""{File} {Server}"", dto.FileName, dto.ServerAddress);
        log.LogInformation(""{To}"", recipientEmail);
    }
}");

    [Fact]
    public Task Framework_objects_do_not_pass_on_the_data_of_the_call_that_made_them() => Verify.VerifyAsync(@"
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Clinic;
class EligibilityClient
{
    async Task Check(HttpClient http, ILogger log, Patient p)
    {
        var url = ""https://eligibility.example.test/members/"" + p.Ssn;
        using var response = await http.GetAsync(url);
        log.LogWarning(""Eligibility returned {Status}"", response.StatusCode);
        log.LogWarning(""Eligibility returned {Status}"", (int)response.StatusCode);
        log.LogDebug(""Called {Url}"", {|HIPAA001:url|});
    }
}" + Models);

    [Fact]
    public Task Unkeyed_hashes_of_phi_are_phi_and_keyed_hashes_are_not() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p, byte[] key)
    {
        var ssnHash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(p.Ssn)));
        log.LogWarning(""No match for {SsnHash}"", {|HIPAA001:ssnHash|});

        var blind = Convert.ToHexString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(p.Ssn)));
        log.LogWarning(""No match for {Blind}"", blind);
        log.LogWarning(""No match for {Masked}"", MaskedSsn(p));
    }

    static string MaskedSsn(Patient p) => HipaaAnalyzers.Runtime.Phi.Redact(p.Ssn);
}" + Models);

    [Fact]
    public Task Staff_and_places_are_not_patients() => Verify.VerifyAsync(@"
using System;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
class Admission
{
    public int Id { get; set; }
    public string PatientName { get; set; } = """";
    public string WardName { get; set; } = """";
    public string DoctorEmail { get; set; } = """";
    public DateTime AdmittedAt { get; set; }
}
static class PatientEndpoints
{
    static void Admit(ILogger logger, ClaimsPrincipal user, Admission admission, string userName)
    {
        var staffName = user.Identity?.Name ?? ""unknown"";
        logger.LogInformation(""{User} admitted {Id} to {Ward} ({Doctor}) as {Who}"", staffName, admission.Id, admission.WardName, admission.DoctorEmail, userName);
        logger.LogInformation(""Admitted {Name} at {When}"", {|HIPAA001:admission.PatientName|}, {|HIPAA001:admission.AdmittedAt|});
    }
}");

    [Fact]
    public Task Tree_types_that_enumerate_their_own_kind_do_not_crash() => Verify.VerifyAsync(@"
using System;
using System.Collections;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
class Node : IEnumerable<Node>
{
    public string Label { get; set; } = """";
    public IEnumerator<Node> GetEnumerator() { yield break; }
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
class Visit
{
    public string Email { get; set; } = """";
    public Node Diagnoses { get; set; } = new();
    public JArray Medications { get; set; } = new();
}
class Svc
{
    void Run(ILogger log, Visit visit, string body, string ssn)
    {
        log.LogInformation(""{E}"", visit.Email);
        log.LogInformation(""{D}"", visit.Diagnoses);
        log.LogInformation(""{B}"", JToken.Parse(body));
        var state = new JObject { [""ssn""] = ssn };
        log.LogInformation(""{S}"", {|HIPAA001:state.ToString()|});
        var uri = new Uri(""https://x.example.test/?s="" + new JObject { [""k""] = 1 }.ToString());
    }
}");

    [Fact]
    public Task Surrogate_keys_and_identity_user_ids_are_not_phi() => Verify.VerifyAsync(@"
using System;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
class CancelPrescriptionCommand
{
    public Guid PrescriptionId { get; set; }
    public int MedicationId { get; set; }
    public string PrescriptionNumber { get; set; } = """";
    public string NationalId { get; set; } = """";
}
class Svc
{
    void Run(ILogger log, CancelPrescriptionCommand request, IdentityUser user)
    {
        log.LogInformation(""Cancelling prescription {PrescriptionId} ({MedicationId})"", request.PrescriptionId, request.MedicationId);
        log.LogInformation(""User created: {UserId}"", user.Id);
        log.LogInformation(""Rx {Number} for {National}"", {|HIPAA001:request.PrescriptionNumber|}, {|HIPAA001:request.NationalId|});
    }
}");

    [Fact]
    public Task Reports_phi_passed_to_a_logging_wrapper_of_the_same_compilation() => Verify.VerifyAsync(@"
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Clinic;
class LoggingBroker
{
    private readonly ILogger _logger = null!;
    public ValueTask LogInformationAsync(string message)
    {
        _logger.LogInformation(message);
        return ValueTask.CompletedTask;
    }

    public void LogAudit(string action, string detail) => Write(action, ""["" + detail + ""]"");
    private void Write(string kind, string text) => _logger.LogInformation(""{Kind}: {Text}"", kind, text);
    public void LogCount(string label, int count) => _logger.LogInformation(""{Label}"", label.Length + count);
}
class Orchestration
{
    async Task Record(LoggingBroker broker, Patient p)
    {
        await broker.LogInformationAsync($""Recording patient {{|HIPAA001:p.Ssn|}}"");
        broker.LogAudit(""viewed"", {|HIPAA001:p.Email|});
        broker.LogCount(p.Ssn, 1);
        await broker.LogInformationAsync($""Recording patient {p.Id}"");
    }
}" + Models);

    [Fact]
    public Task Recognises_plurals_async_results_nested_addresses_tuples_and_flags() => Verify.VerifyAsync(@"
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using HipaaAnalyzers.Runtime;
class Address
{
    public string Street { get; set; } = """";
    public string City { get; set; } = """";
}
class Patient
{
    public int Id { get; set; }
    public Address HomeAddress { get; set; } = new();
    [Phi] public bool HivPositive { get; set; }
    public bool IsActive { get; set; }
}
class Svc
{
    async Task Run(ILogger log, Patient p, List<string> ssns, Address warehouse)
    {
        foreach (var s in ssns)
        {
            log.LogInformation(""{S}"", {|HIPAA001:s|});
        }

        log.LogInformation(""{S}"", {|HIPAA001:await GetSsnAsync()|});
        log.LogInformation(""{Street}"", {|HIPAA001:p?.HomeAddress.Street|});
        log.LogInformation(""{Street}"", {|HIPAA001:p.HomeAddress.City|});
        log.LogInformation(""{Street}"", warehouse.Street);
        var pair = (p.Id, await GetSsnAsync());
        log.LogInformation(""{S}"", {|HIPAA001:pair.Item2|});
        log.LogInformation(""{Id}"", pair.Item1);
        log.LogInformation(""{Hiv} {Active}"", {|HIPAA001:p.HivPositive|}, p.IsActive);
    }

    static Task<string> GetSsnAsync() => Task.FromResult(System.Environment.GetEnvironmentVariable(""X"") ?? """");
}");

    [Fact]
    public Task Protected_forms_and_device_addresses() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
class Device
{
    public string Ssn { get; set; } = """";
}
class PatientDevice
{
    public string MacAddress { get; set; } = """";
    public string HashedSsn { get; set; } = """";
    public string MaskedSsn { get; set; } = """";
}
class Svc
{
    void Run(ILogger log, PatientDevice d)
    {
        log.LogInformation(""{Mac}"", {|HIPAA001:d.MacAddress|});
        log.LogInformation(""{H} {M}"", d.HashedSsn, d.MaskedSsn);
    }
}");

    [Fact]
    public async Task Names_count_in_the_teams_own_referenced_libraries()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<HipaaAnalyzers.Rules.HIPAA001PhiInLogAnalyzer, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
        {
            ReferenceAssemblies = HipaaAnalyzers.Tests.Verifiers.TestReferences.Net10WithLoggers,
            TestCode = @"
using Microsoft.Extensions.Logging;
using Clinic.Domain;
class Svc
{
    void Run(ILogger log, Patient p) => log.LogInformation(""{S} {Id}"", {|HIPAA001:p.Ssn|}, p.Id);
}",
        };
        test.TestState.AdditionalProjects["Clinic.Domain"].Sources.Add(@"
namespace Clinic.Domain
{
    public class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
    }
}");
        test.TestState.AdditionalProjectReferences.Add("Clinic.Domain");
        await test.RunAsync();
    }

    [Fact]
    public Task Reports_identity_personal_data_of_a_patient_account() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Identity;
class PatientAccount : IdentityUser
{
    [PersonalData] public string Nickname { get; set; } = """";
    [ProtectedPersonalData] public string Handle { get; set; } = """";
}
class Svc
{
    void Run(ILogger log, PatientAccount account)
    {
        log.LogInformation(""{N}"", {|HIPAA001:account.Nickname|});
        log.LogInformation(""{H}"", {|HIPAA001:account.Handle|});
        log.LogInformation(""{E}"", {|HIPAA001:account.Email|});
        log.LogInformation(""{P}"", {|HIPAA001:account.PhoneNumber|});
        log.LogInformation(""{Id}"", account.Id);
    }
}");

    [Fact]
    public Task Identity_personal_data_of_staff_and_plain_users_is_personal_not_phi() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Identity;
class ApplicationUser : IdentityUser
{
    [PersonalData] public string FullName { get; set; } = """";
    [ProtectedPersonalData] public string Title { get; set; } = """";
    public System.DateTime? DateOfBirth { get; set; }
    public string? Department { get; set; }
}
class Doctor
{
    public int Id { get; set; }
    public ApplicationUser User { get; set; } = null!;
}
class Specialty
{
    public string Name { get; set; } = """";
    public System.Collections.Generic.List<Doctor> Doctors { get; set; } = new();
}
class Svc
{
    void Run(ILogger log, ApplicationUser user, Specialty specialty)
    {
        log.LogInformation(""Signed in {Name} ({Email})"", user.FullName, user.Email);
        log.LogInformation(""{Title} {Dob}"", user.Title, user.DateOfBirth);
        log.LogInformation(""Specialty {@Specialty}"", specialty);
    }
}");

    [Fact]
    public Task Staff_and_catalog_members_are_not_phi_but_clinical_names_stay_phi() => Verify.VerifyAsync(@"
using System;
using Microsoft.Extensions.Logging;
class Person
{
    public string FirstName { get; set; } = """";
    public DateTime DateOfBirth { get; set; }
}
class Doctor : Person
{
    public string Email { get; set; } = """";
    public string LicenseNumber { get; set; } = """";
    public string NationalId { get; set; } = """";
}
class Nurse
{
    public string Name { get; set; } = """";
    public DateTime DateOfBirth { get; set; }
    public string LastDiagnosis { get; set; } = """";
}
class DrugProduct
{
    public string BrandName { get; set; } = """";
    public string DrugIdentificationNumber { get; set; } = """";
}
class StaffController
{
    private readonly ILogger _log = null!;
    public void GetMember(string memberId, string email) => _log.LogInformation(""Staff {Id} {Email}"", memberId, email);
}
class Svc
{
    void Run(ILogger log, Doctor doctor, Nurse nurse, DrugProduct drug)
    {
        log.LogInformation(""Dr {Name} {Email} {Dob}"", doctor.FirstName, doctor.Email, doctor.DateOfBirth);
        log.LogInformation(""{License} {National}"", doctor.LicenseNumber, doctor.NationalId);
        log.LogInformation(""{@Doctor}"", doctor);
        log.LogInformation(""Nurse {Name} {Dob}"", nurse.Name, nurse.DateOfBirth);
        log.LogInformation(""{Diagnosis}"", {|HIPAA001:nurse.LastDiagnosis|});
        log.LogInformation(""{Brand} {Din}"", drug.BrandName, drug.DrugIdentificationNumber);
    }
}");

    [Fact]
    public Task Names_of_operations_and_requests_in_a_patient_api_are_not_person_names() => Verify.VerifyAsync(@"
using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
static class PatientsApi
{
    static async Task SafePublishAuditAsync(Func<Task> publish, ILogger logger, string operationName)
    {
        try { await publish(); }
        catch (Exception ex) { logger.LogError(ex, ""Audit publish failed for {Operation}"", operationName); }
    }

    static void Search(ILogger logger, string requestName, string patientName) =>
        logger.LogInformation(""{Request} {Patient}"", requestName, {|HIPAA001:patientName|});
}");

    [Fact]
    public Task Patients_keep_their_identifiers_next_to_staff() => Verify.VerifyAsync(@"
using System;
using Microsoft.Extensions.Logging;
class Person
{
    public string FirstName { get; set; } = """";
    public DateTime DateOfBirth { get; set; }
}
class Patient : Person
{
    public string IdentificationNumber { get; set; } = """";
}
class DoctorsController
{
    private readonly ILogger _log = null!;
    public void Find(string patientSsn, string ssn) => _log.LogInformation(""{P} {S}"", {|HIPAA001:patientSsn|}, ssn);
}
class Svc
{
    void Run(ILogger log, Patient patient)
    {
        log.LogInformation(""{Name} {Dob} {Id}"", {|HIPAA001:patient.FirstName|}, {|HIPAA001:patient.DateOfBirth|}, {|HIPAA001:patient.IdentificationNumber|});
    }
}");

    [Fact]
    public Task Names_are_configurable() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
class Svc
{
    void Run(ILogger log, string memberId, string chartCode, string enrolmentRef)
    {
        log.LogInformation(""{M}"", memberId);
        log.LogInformation(""{C}"", {|HIPAA001:chartCode|});
        log.LogInformation(""{E}"", {|HIPAA001:enrolmentRef|});
    }
}", editorConfig: "hipaa_analyzers.not_phi_names = member id\nhipaa_analyzers.phi_names = chart code\nhipaa_analyzers.phi_name_pattern = ^enrolment\n");

    [Fact]
    public Task Sanitizers_are_configurable() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
namespace Acme { static class Scrubber { public static string Clean(string s) => ""***""; } }
class Svc
{
    void Run(ILogger log, string ssn)
    {
        log.LogInformation(""{S}"", Acme.Scrubber.Clean(ssn));
        log.LogInformation(""{S}"", MaskSsn(ssn));
    }

    static string MaskSsn(string value) => ""***-**-"" + value.Substring(value.Length - 4);
}", editorConfig: "hipaa_analyzers.sanitizers = Acme.Scrubber.Clean\n");
}
