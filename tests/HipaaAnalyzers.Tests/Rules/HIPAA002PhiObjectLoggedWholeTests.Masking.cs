using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA002PhiObjectLoggedWholeAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Masking configured for destructured objects, staff and catalog types, and messages that reach the PHI member.</summary>
public partial class HIPAA002PhiObjectLoggedWholeTests
{
    // The attributes are matched by name; Destructurama.Attributed and Microsoft.Extensions.Telemetry need not be referenced.
    private const string MaskingAttributes = @"
namespace Destructurama.Attributed
{
    [System.AttributeUsage(System.AttributeTargets.Property)] public sealed class NotLoggedAttribute : System.Attribute { }
    [System.AttributeUsage(System.AttributeTargets.Property)] public sealed class NotLoggedIfNullAttribute : System.Attribute { }
    [System.AttributeUsage(System.AttributeTargets.Property)] public sealed class LogMaskedAttribute : System.Attribute { public int ShowFirst { get; set; } }
    [System.AttributeUsage(System.AttributeTargets.Property)] public sealed class LogReplacedAttribute : System.Attribute { public LogReplacedAttribute(string pattern, string replacement) { } }
    [System.AttributeUsage(System.AttributeTargets.Property)] public sealed class LogAsScalarAttribute : System.Attribute { public LogAsScalarAttribute(bool isMask = false) { } }
}
namespace Microsoft.Extensions.Logging
{
    [System.AttributeUsage(System.AttributeTargets.Property)] public sealed class LogPropertyIgnoreAttribute : System.Attribute { }
    [System.AttributeUsage(System.AttributeTargets.Parameter)] public sealed class LogPropertiesAttribute : System.Attribute { }
}
";

    [Fact]
    public Task Leaves_alone_objects_whose_phi_members_are_masked_for_logging() => Verify.VerifyAsync(@"
using Destructurama.Attributed;
using Microsoft.Extensions.Logging;
class PatientSummary
{
    public int Id { get; set; }
    [NotLogged] public string Ssn { get; set; } = """";
    [LogMasked(ShowFirst = 1)] public string FirstName { get; set; } = """";
    [LogReplaced(@""\d"", ""*"")] public string MedicalRecordNumber { get; set; } = """";
    [LogAsScalar(isMask: true)] public string Diagnosis { get; set; } = """";
    [LogPropertyIgnore] public string Email { get; set; } = """";
}
class Svc
{
    void Run(ILogger log, Serilog.ILogger serilog, PatientSummary patient)
    {
        log.LogInformation(""Admitted {@Patient}"", patient);
        serilog.Information(""Admitted {@Patient}"", patient);
    }
}" + MaskingAttributes);

    [Fact]
    public Task Reports_members_that_are_logged_when_they_hold_a_value() => Verify.VerifyAsync(@"
using Destructurama.Attributed;
using Microsoft.Extensions.Logging;
class PatientSummary
{
    public int Id { get; set; }
    [NotLogged] public string Ssn { get; set; } = """";
    [NotLoggedIfNull] public string? Diagnosis { get; set; }
}
class Visit
{
    public int Id { get; set; }
    [LogAsScalar] public string DateOfBirth { get; set; } = """";
}
class Svc
{
    void Run(ILogger log, PatientSummary patient, Visit visit)
    {
        log.LogInformation(""Admitted {@Patient}"", {|HIPAA002:patient|});
        log.LogInformation(""Visit {@Visit}"", {|HIPAA002:visit|});
    }
}" + MaskingAttributes);

    [Fact]
    public Task Serilog_ignored_and_masked_properties_are_honoured() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
namespace Clinic
{
    class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
        public string DateOfBirth { get; set; } = """";
    }
    class Referral
    {
        public int Id { get; set; }
        public string Diagnosis { get; set; } = """";
        public string Mrn { get; set; } = """";
    }
    class Claim
    {
        public int Id { get; set; }
        public string Diagnosis { get; set; } = """";
        public string MemberId { get; set; } = """";
    }
    static class LoggingSetup
    {
        public static void Configure(SerilogLike config)
        {
            config.Destructure.ByIgnoringProperties<Patient>(p => p.Ssn, p => p.DateOfBirth);
            config.Enrich.WithSensitiveDataMasking(o => { o.MaskProperties.Add(""Diagnosis""); o.MaskProperties.Add(""Mrn""); });
        }
    }
    class Svc
    {
        void Run(ILogger log, Patient patient, Referral referral, Claim claim)
        {
            log.LogInformation(""{@Patient}"", patient);
            log.LogInformation(""{@Referral}"", referral);
            log.LogInformation(""{@Claim}"", {|HIPAA002:claim|});
        }
    }
    class SerilogLike
    {
        public DestructureLike Destructure { get; } = new();
        public EnrichLike Enrich { get; } = new();
    }
    class DestructureLike { public void ByIgnoringProperties<T>(params System.Func<T, object>[] members) { } }
    class EnrichLike { public void WithSensitiveDataMasking(System.Action<MaskOptions> configure) { } }
    class MaskOptions { public System.Collections.Generic.List<string> MaskProperties { get; } = new(); }
}");

    [Fact]
    public Task Reports_log_properties_of_a_phi_carrying_argument() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
class Patient
{
    public int Id { get; set; }
    public string Ssn { get; set; } = """";
}
class Masked
{
    public int Id { get; set; }
    [LogPropertyIgnore] public string Ssn { get; set; } = """";
}
static partial class Log
{
    [LoggerMessage(LogLevel.Information, ""Admitted"")]
    public static partial void Admitted(ILogger logger, [LogProperties] Patient patient);

    [LoggerMessage(LogLevel.Information, ""Admitted masked"")]
    public static partial void AdmittedMasked(ILogger logger, [LogProperties] Masked patient);
}
static partial class Log
{
    public static partial void Admitted(ILogger logger, Patient patient) { }
    public static partial void AdmittedMasked(ILogger logger, Masked patient) { }
}
class Svc
{
    void Run(ILogger log, Patient patient, Masked masked)
    {
        Log.Admitted(log, {|HIPAA002:patient|});
        Log.AdmittedMasked(log, masked);
    }
}" + MaskingAttributes);

    [Fact]
    public Task Staff_catalog_and_identity_users_destructured_are_not_phi() => Verify.VerifyAsync(@"
using System.Collections.Generic;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
class ApplicationUser : IdentityUser
{
    [PersonalData] public string FullName { get; set; } = """";
}
class Person
{
    public string FirstName { get; set; } = """";
    public System.DateTime DateOfBirth { get; set; }
}
class Doctor : Person
{
    public int Id { get; set; }
    public ApplicationUser User { get; set; } = null!;
}
class Specialty
{
    public int Id { get; set; }
    public string Name { get; set; } = """";
    public List<Doctor> Doctors { get; set; } = new();
}
class DrugProduct
{
    public int Id { get; set; }
    public string BrandName { get; set; } = """";
    public string DrugIdentificationNumber { get; set; } = """";
}
class Svc
{
    void Run(ILogger log, Specialty specialty, Doctor doctor, DrugProduct drug, ApplicationUser user)
    {
        log.LogInformation(""{@Specialty}"", specialty);
        log.LogInformation(""{@Doctor}"", doctor);
        log.LogInformation(""{@Drug}"", drug);
        log.LogInformation(""{@User}"", user);
    }
}");

    [Fact]
    public Task Message_names_every_link_down_to_the_phi_member() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
class Address
{
    public string Street { get; set; } = """";
}
class Patient
{
    public int Id { get; set; }
    public Address Home { get; set; } = new();
    public string Mrn { get; set; } = """";
}
class Order
{
    public int Id { get; set; }
    public Patient Patient { get; set; } = new();
}
class Svc
{
    void Run(ILogger log, Order order)
    {
        log.LogInformation(""{@Order}"", {|#0:order|});
    }
}",
        Verify.Diagnostic("HIPAA002").WithLocation(0).WithArguments(
            "Order", "Order.Patient: carries Patient.Mrn (name: medical record number)", "destructured", "LoggerExtensions.LogInformation"));
}
