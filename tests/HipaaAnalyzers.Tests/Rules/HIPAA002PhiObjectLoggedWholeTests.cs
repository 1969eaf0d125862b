using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA002PhiObjectLoggedWholeAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA002PhiObjectLoggedWholeTests
{
    private const string Models = @"
namespace Clinic
{
    public record PatientRecord(int Id, string Ssn, string FirstName);

    public class PatientEntity
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
    }

    public class PatientWithToString
    {
        public int Id { get; set; }
        public string FirstName { get; set; } = """";
        public string LastName { get; set; } = """";
        public override string ToString() => $""{FirstName} {LastName}"";
    }

    public class PatientWithSafeToString
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
        public override string ToString() => $""Patient #{Id}"";
    }

    public record ProductRecord(int Id, string Name, decimal Price);
}
";

    [Fact]
    public Task Reports_record_with_generated_ToString_logged_or_interpolated() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, PatientRecord patient)
    {
        log.LogInformation(""Admitted {Patient}"", {|HIPAA002:patient|});
        log.LogInformation($""Admitted {{|HIPAA002:patient|}}"");
        log.LogInformation(""Admitted "" + {|HIPAA002:patient|});
        System.Console.WriteLine({|HIPAA002:patient|});
    }
}" + Models);

    [Fact]
    public Task Reports_destructuring_of_any_phi_carrying_object() => Verify.VerifyAsync(@"
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Serilog.ILogger serilog, PatientEntity patient, List<PatientEntity> all)
    {
        log.LogInformation(""Admitted {@Patient}"", {|HIPAA002:patient|});
        serilog.Information(""Admitted {@Patient} at {Ward}"", {|HIPAA002:patient|}, ""4B"");
        serilog.Information(""Batch {@Patients}"", {|HIPAA002:all|});
    }
}" + Models);

    [Fact]
    public Task Reports_leaking_ToString_override_and_serialization() => Verify.VerifyAsync(@"
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, PatientWithToString patient, PatientEntity entity)
    {
        log.LogInformation(""Seen {Patient}"", {|HIPAA002:patient|});
        log.LogInformation(""Seen {Patient}"", {|HIPAA002:patient|}.ToString());
        log.LogInformation(""Payload {Json}"", JsonSerializer.Serialize({|HIPAA002:entity|}));
        var json = JsonSerializer.Serialize(entity);
        log.LogDebug({|HIPAA002:json|});
    }
}" + Models);

    [Fact]
    public Task Reports_joined_collections_of_records_naming_the_item_type() => Verify.VerifyAsync(@"
using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, List<PatientRecord> patients)
    {
        log.LogInformation(string.Join("", "", {|#0:patients|}));
    }
}" + Models,
        Verify.Diagnostic("HIPAA002").WithLocation(0).WithArguments(
            "PatientRecord items", "PatientRecord.Ssn: name: social security number", "formatted by its ToString", "LoggerExtensions.LogInformation"));

    [Fact]
    public Task Leaves_alone_default_ToString_safe_overrides_and_non_phi_records() => Verify.VerifyAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, PatientEntity entity, PatientWithSafeToString safe, ProductRecord product, PatientRecord patient)
    {
        log.LogInformation(""Saved {Entity}"", entity);
        log.LogInformation(""Saved {Patient}"", safe);
        log.LogInformation(""Saved {@Product}"", product);
        log.LogInformation(""Saved {Product}"", product);
        log.LogInformation(""Saved patient {Id}"", patient.Id);
        var copy = patient with { FirstName = ""x"" };
        Store(copy);
    }

    void Store(PatientRecord record) { }
}" + Models);
}
