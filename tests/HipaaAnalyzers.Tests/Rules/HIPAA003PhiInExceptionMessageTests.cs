using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA003PhiInExceptionMessageAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA003PhiInExceptionMessageTests
{
    private const string Models = @"
namespace Clinic
{
    public class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
        public string LastName { get; set; } = """";
    }

    public record PatientRecord(int Id, string Mrn);

    public class PatientNotFoundException : System.Exception
    {
        public PatientNotFoundException(string message) : base(message) { }
    }
}
";

    [Fact]
    public Task Reports_phi_in_exception_messages() => Verify.VerifyAsync(@"
using System;
using Clinic;
class Svc
{
    void Run(Patient p, PatientRecord record, string ssn)
    {
        if (p.Id == 0) throw new InvalidOperationException($""No chart for {{|HIPAA003:p.Ssn|}}"");
        if (p.Id == 1) throw new ArgumentException(""Bad patient "" + {|HIPAA003:p.LastName|}, nameof(p));
        if (p.Id == 2) throw new PatientNotFoundException({|HIPAA003:ssn|});
        if (p.Id == 3) throw new InvalidOperationException($""Conflict for {{|HIPAA003:record|}}"");
        var message = ""Duplicate SSN "" + p.Ssn;
        throw new ArgumentOutOfRangeException(nameof(p), {|HIPAA003:message|});
    }
}" + Models);

    [Fact]
    public Task Leaves_alone_ids_parameter_names_redacted_values_and_inner_exceptions() => Verify.VerifyAsync(@"
using System;
using HipaaAnalyzers.Runtime;
using Clinic;
class Svc
{
    void Run(Patient p, Exception inner)
    {
        if (p.Id == 0) throw new InvalidOperationException($""No chart for patient {p.Id}"");
        if (p.Id == 1) throw new ArgumentException(""SSN is required"", nameof(p.Ssn));
        if (p.Id == 2) throw new InvalidOperationException($""No chart for {Phi.Redact(p.Ssn)}"", inner);
        throw new ArgumentNullException(nameof(p));
    }
}" + Models);
}
