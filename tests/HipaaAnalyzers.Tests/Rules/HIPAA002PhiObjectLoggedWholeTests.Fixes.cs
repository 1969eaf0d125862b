using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA002PhiObjectLoggedWholeAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA002PhiObjectLoggedWholeFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA002PhiObjectLoggedWholeTests
{
    /// <summary>The code fixes: log the object's identifier instead, or Phi.Redact around the object.</summary>
    public class Fixes
    {
        private const string FixModels = @"
namespace Clinic
{
    public record Patient(int Id, string Ssn);

    public class Admission
    {
        public System.Guid AdmissionId { get; set; }
        public string Ssn { get; set; } = """";
    }

    public record Visit(string Ssn, string Diagnosis);
}
";

        [Fact]
        public async Task Offers_the_identifier_first_then_redact()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
using Microsoft.Extensions.Logging;
class Svc
{
    void Run(ILogger log, Patient patient, Visit visit)
    {
        log.LogInformation(""{P}"", patient);
        log.LogInformation(""{V}"", visit);
    }
}
record Patient(int Id, string Ssn);
record Visit(string Ssn, string Diagnosis);
");

            Assert.Equal(
                new (string, string?)[]
                {
                    ("Log Patient.Id instead", "HIPAA002.LogIdentifier"),
                    ("Redact with Phi.Redact", "HIPAA002.Redact"),
                    ("Redact with Phi.Redact", "HIPAA002.Redact"),
                },
                offered);
        }

        [Fact]
        public Task Log_identifier_replaces_the_object_with_its_id() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient patient)
    {
        log.LogInformation(""{P}"", {|HIPAA002:patient|});
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient patient)
    {
        log.LogInformation(""{P}"", patient.Id);
    }
}" + FixModels, "HIPAA002.LogIdentifier");

        [Fact]
        public Task Log_identifier_drops_the_destructuring_of_the_hole_it_fills() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Serilog.ILogger serilog, Patient patient, Admission admission)
    {
        log.LogInformation(""Admitted {@Patient}"", {|HIPAA002:patient|});
        serilog.Information(""Ward {Ward} admitted {@Admission} at {Time}"", ""4B"", {|HIPAA002:admission|}, 12);
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Serilog.ILogger serilog, Patient patient, Admission admission)
    {
        log.LogInformation(""Admitted {Patient}"", patient.Id);
        serilog.Information(""Ward {Ward} admitted {Admission} at {Time}"", ""4B"", admission.AdmissionId, 12);
    }
}" + FixModels, "HIPAA002.LogIdentifier");

        [Fact]
        public Task Log_identifier_handles_verbatim_templates_and_serialized_objects() => VerifyFix.VerifyFixAsync(@"
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient patient, Admission admission)
    {
        log.LogWarning(@""Readmitted {@Patient}"", {|HIPAA002:patient|});
        log.LogInformation(""Payload {Json}"", JsonSerializer.Serialize({|HIPAA002:admission|}));
    }
}" + FixModels, @"
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient patient, Admission admission)
    {
        log.LogWarning(@""Readmitted {Patient}"", patient.Id);
        log.LogInformation(""Payload {Json}"", JsonSerializer.Serialize(admission.AdmissionId));
    }
}" + FixModels, "HIPAA002.LogIdentifier");

        [Fact]
        public Task Log_identifier_fixes_every_way_a_record_is_formatted() => VerifyFix.VerifyFixAsync(@"
using System;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient patient)
    {
        log.LogInformation($""Admitted {{|HIPAA002:patient|}}"");
        log.LogInformation(""Admitted "" + {|HIPAA002:patient|});
        log.LogInformation(""Admitted {P}"", {|HIPAA002:patient|}.ToString());
        Console.WriteLine({|HIPAA002:patient|});
    }
}" + FixModels, @"
using System;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient patient)
    {
        log.LogInformation($""Admitted {patient.Id}"");
        log.LogInformation(""Admitted "" + patient.Id);
        log.LogInformation(""Admitted {P}"", patient.Id.ToString());
        Console.WriteLine(patient.Id);
    }
}" + FixModels, "HIPAA002.LogIdentifier");

        [Fact]
        public Task Log_identifier_keeps_a_maybe_null_object_safe() => VerifyFix.VerifyFixAsync(@"
#nullable enable
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient? patient, Patient[] all)
    {
        log.LogInformation(""{P}"", {|HIPAA002:patient|});
        log.LogInformation(""{P}"", {|HIPAA002:all[0] ?? patient|});
    }
}" + FixModels, @"
#nullable enable
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient? patient, Patient[] all)
    {
        log.LogInformation(""{P}"", patient?.Id);
        log.LogInformation(""{P}"", (all[0] ?? patient)?.Id);
    }
}" + FixModels, "HIPAA002.LogIdentifier");

        [Fact]
        public Task Redact_wraps_the_object_and_adds_the_using_once() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient patient, Visit visit)
    {
        log.LogInformation(""{P}"", {|HIPAA002:patient|});
        log.LogInformation(""Admitted {@Patient}"", {|HIPAA002:patient|});
        log.LogInformation($""Seen {{|HIPAA002:visit|}}"");
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(ILogger log, Patient patient, Visit visit)
    {
        log.LogInformation(""{P}"", Phi.Redact(patient));
        log.LogInformation(""Admitted {@Patient}"", Phi.Redact(patient));
        log.LogInformation($""Seen {Phi.Redact(visit)}"");
    }
}" + FixModels, "HIPAA002.Redact");

        [Fact]
        public Task Redact_does_not_repeat_an_existing_using() => VerifyFix.VerifyFixAsync(@"
using HipaaAnalyzers.Runtime;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Visit visit)
    {
        log.LogInformation(""{V}"", {|HIPAA002:visit|});
    }
}" + FixModels, @"
using HipaaAnalyzers.Runtime;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Visit visit)
    {
        log.LogInformation(""{V}"", Phi.Redact(visit));
    }
}" + FixModels, "HIPAA002.Redact");

        [Fact]
        public Task No_identifier_fix_for_a_type_without_an_identifier() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Visit visit)
    {
        log.LogInformation(""{V}"", {|HIPAA002:visit|});
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Visit visit)
    {
        log.LogInformation(""{V}"", {|HIPAA002:visit|});
    }
}" + FixModels, "HIPAA002.LogIdentifier");
    }
}
