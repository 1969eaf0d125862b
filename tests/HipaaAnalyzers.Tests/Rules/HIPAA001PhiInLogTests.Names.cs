using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA001PhiInLogAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Identifiers of other countries, clinical free text and names given by serialization and binding attributes.</summary>
public partial class HIPAA001PhiInLogTests
{
    [Fact]
    public Task Reports_national_and_health_identifiers_of_other_countries() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
class Svc
{
    void Run(ILogger log, string egn, string nhsNumber, string chiNumber, string personalHealthNumber, string aadhaar,
             string cpf, string bsn, string tcKimlik, string medicareId, string passportId, string drivingLicence)
    {
        log.LogInformation(""{A} {B} {C} {D}"", {|HIPAA001:egn|}, {|HIPAA001:nhsNumber|}, {|HIPAA001:chiNumber|}, {|HIPAA001:personalHealthNumber|});
        log.LogInformation(""{A} {B} {C} {D}"", {|HIPAA001:aadhaar|}, {|HIPAA001:cpf|}, {|HIPAA001:bsn|}, {|HIPAA001:tcKimlik|});
        log.LogInformation(""{A} {B} {C}"", {|HIPAA001:medicareId|}, {|HIPAA001:passportId|}, {|HIPAA001:drivingLicence|});
    }
}");

    [Fact]
    public Task Reports_clinical_free_text_and_a_patients_identity_number() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
class Appointment
{
    public int Id { get; set; }
    public int PatientId { get; set; }
    public string ReasonForVisit { get; set; } = """";
    public string ChiefComplaint { get; set; } = """";
    public string Symptoms { get; set; } = """";
    public string ConsultationNotes { get; set; } = """";
}
class Patient
{
    public string IdNumber { get; set; } = """";
    public string BloodType { get; set; } = """";
    public string EmergencyContact { get; set; } = """";
    public string NextOfKin { get; set; } = """";
}
class Allergy
{
    public int PatientId { get; set; }
    public string Allergen { get; set; } = """";
}
class Svc
{
    void Run(ILogger log, Appointment a, Patient p, Allergy allergy)
    {
        log.LogInformation(""{R} {C}"", {|HIPAA001:a.ReasonForVisit|}, {|HIPAA001:a.ChiefComplaint|});
        log.LogInformation(""{S} {N}"", {|HIPAA001:a.Symptoms|}, {|HIPAA001:a.ConsultationNotes|});
        log.LogInformation(""{I} {B}"", {|HIPAA001:p.IdNumber|}, {|HIPAA001:p.BloodType|});
        log.LogInformation(""{E} {K}"", {|HIPAA001:p.EmergencyContact|}, {|HIPAA001:p.NextOfKin|});
        log.LogInformation(""Allergy added for patient {PatientId}: {Allergen}"", allergy.PatientId, {|HIPAA001:allergy.Allergen|});
    }
}");

    [Fact]
    public Task Staff_identity_numbers_and_emergency_contacts_are_workforce_data() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
class Employee
{
    public string IdNumber { get; set; } = """";
    public string EmergencyContact { get; set; } = """";
}
class Order
{
    public string IdNumber { get; set; } = """";
}
class Svc
{
    void Run(ILogger log, Employee e, Order o) => log.LogInformation(""{I} {E} {O}"", e.IdNumber, e.EmergencyContact, o.IdNumber);
}");

    [Fact]
    public Task Names_given_by_serialization_and_binding_attributes_count() => Verify.VerifyAsync(@"
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
class PatientRow
{
    [JsonPropertyName(""ssn"")] public string TaxRef { get; set; } = """";
    [Column(""date_of_birth"")] public string Born { get; set; } = """";
    [Display(Name = ""Medical record number"")] public string Chart { get; set; } = """";
    [JsonPropertyName(""ref"")] public string Reference { get; set; } = """";
}
class SearchController
{
    private readonly ILogger _log = null!;
    public void Find([FromQuery(Name = ""nationalId"")] string q, [FromQuery(Name = ""page"")] string p) =>
        _log.LogInformation(""Search {Q} {P}"", {|HIPAA001:q|}, p);
}
class Svc
{
    void Run(ILogger log, PatientRow row)
    {
        log.LogInformation(""{A} {B} {C} {D}"", {|HIPAA001:row.TaxRef|}, {|HIPAA001:row.Born|}, {|HIPAA001:row.Chart|}, row.Reference);
    }
}");
}
