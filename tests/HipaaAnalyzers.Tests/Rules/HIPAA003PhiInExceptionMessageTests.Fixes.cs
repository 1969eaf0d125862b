using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA003PhiInExceptionMessageAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA003PhiInExceptionMessageFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA003PhiInExceptionMessageTests
{
    /// <summary>The code fix: Phi.Redact around the PHI in the message.</summary>
    public class Fixes
    {

        [Fact]
        public async Task Offers_redact()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
class Svc
{
    void Run(string ssn) => throw new System.InvalidOperationException(""No chart for "" + ssn);
}");

            Assert.Equal(new (string, string?)[] { ("Redact with Phi.Redact", "HIPAA003.Redact") }, offered);
        }

        [Fact]
        public Task Redact_fixes_every_message_in_the_file_and_adds_the_using_once() => VerifyFix.VerifyFixAsync(@"
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
}" + Models, @"
using System;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(Patient p, PatientRecord record, string ssn)
    {
        if (p.Id == 0) throw new InvalidOperationException($""No chart for {Phi.Redact(p.Ssn)}"");
        if (p.Id == 1) throw new ArgumentException(""Bad patient "" + Phi.Redact(p.LastName), nameof(p));
        if (p.Id == 2) throw new PatientNotFoundException(Phi.Redact(ssn));
        if (p.Id == 3) throw new InvalidOperationException($""Conflict for {Phi.Redact(record)}"");
        var message = ""Duplicate SSN "" + p.Ssn;
        throw new ArgumentOutOfRangeException(nameof(p), Phi.Redact(message));
    }
}" + Models, "HIPAA003.Redact");

        [Fact]
        public Task Redact_does_not_repeat_an_existing_using() => VerifyFix.VerifyFixAsync(@"
using System;
using HipaaAnalyzers.Runtime;
using Clinic;
class Svc
{
    void Run(Patient p)
    {
        if (p.Id == 0) throw new InvalidOperationException($""No chart for {Phi.Redact(p.Ssn)}"");
        throw new InvalidOperationException($""No chart for {{|HIPAA003:p.LastName|}}"");
    }
}" + Models, @"
using System;
using HipaaAnalyzers.Runtime;
using Clinic;
class Svc
{
    void Run(Patient p)
    {
        if (p.Id == 0) throw new InvalidOperationException($""No chart for {Phi.Redact(p.Ssn)}"");
        throw new InvalidOperationException($""No chart for {Phi.Redact(p.LastName)}"");
    }
}" + Models, "HIPAA003.Redact");

        [Fact]
        public Task Redact_works_in_a_lambda_body_and_a_throw_expression() => VerifyFix.VerifyFixAsync(@"
using System;
using Clinic;
class Svc
{
    Func<Patient, Exception> Fail = p => new InvalidOperationException(""Unknown "" + {|HIPAA003:p.Ssn|});

    string Name(Patient p, string ssn) => p?.LastName ?? throw new ArgumentException($""No patient {{|HIPAA003:ssn|}}"");
}" + Models, @"
using System;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    Func<Patient, Exception> Fail = p => new InvalidOperationException(""Unknown "" + Phi.Redact(p.Ssn));

    string Name(Patient p, string ssn) => p?.LastName ?? throw new ArgumentException($""No patient {Phi.Redact(ssn)}"");
}" + Models, "HIPAA003.Redact");
    }
}
