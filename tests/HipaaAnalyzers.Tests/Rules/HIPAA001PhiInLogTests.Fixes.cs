using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA001PhiInLogAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA001PhiInLogFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA001PhiInLogTests
{
    /// <summary>The code fixes: Phi.Redact and Phi.Pseudonymize around the logged value.</summary>
    public class Fixes
    {
        private const string FixModels = @"
namespace Clinic
{
    public class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
        public string Email { get; set; } = """";
        public System.DateTime DateOfBirth { get; set; }
    }
}
";

        [Fact]
        public async Task Offers_redact_and_pseudonymize()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
using Microsoft.Extensions.Logging;
class Svc
{
    void Run(ILogger log, string ssn) => log.LogInformation(""{Ssn}"", ssn);
}");

            Assert.Equal(
                new (string, string?)[]
                {
                    ("Redact with Phi.Redact", "HIPAA001.Redact"),
                    ("Pseudonymize with Phi.Pseudonymize", "HIPAA001.Pseudonymize"),
                },
                offered);
        }

        [Fact]
        public Task Redact_wraps_every_value_and_adds_the_using_once() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation(""Patient {Ssn}"", {|HIPAA001:p.Ssn|});
        log.LogWarning(""Born {Dob}, email {Email}"", {|HIPAA001:p.DateOfBirth|}, {|HIPAA001:p.Email|});
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation(""Patient {Ssn}"", Phi.Redact(p.Ssn));
        log.LogWarning(""Born {Dob}, email {Email}"", Phi.Redact(p.DateOfBirth), Phi.Redact(p.Email));
    }
}" + FixModels, "HIPAA001.Redact");

        [Fact]
        public Task A_computation_on_PHI_is_redacted_whole_and_text_composition_keeps_its_text() => VerifyFix.VerifyFixAsync(@"
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Clinic;
static class PatientCrypto
{
    public static string Normalize(string ssn) => ssn.Replace(""-"", """").Trim();
    public static Task<string> LookupAsync(string email) => Task.FromResult(email);
}
class Svc
{
    async Task Run(ILogger log, Patient p)
    {
        log.LogInformation(""Ssn {Ssn}"", PatientCrypto.Normalize({|HIPAA001:p.Ssn|}));
        log.LogInformation(""Last four {Last}"", {|HIPAA001:p.Ssn|}.Substring(5));
        log.LogInformation(""Found {Found}"", await PatientCrypto.LookupAsync({|HIPAA001:p.Email|}));
        log.LogInformation($""Patient {PatientCrypto.Normalize({|HIPAA001:p.Ssn|})} checked in"");
        log.LogInformation(string.Format(""Patient {0} checked in"", {|HIPAA001:p.Ssn|}));
        log.LogInformation(""Patient "" + {|HIPAA001:p.Email|} + "" checked in"");
    }
}" + FixModels, @"
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
static class PatientCrypto
{
    public static string Normalize(string ssn) => ssn.Replace(""-"", """").Trim();
    public static Task<string> LookupAsync(string email) => Task.FromResult(email);
}
class Svc
{
    async Task Run(ILogger log, Patient p)
    {
        log.LogInformation(""Ssn {Ssn}"", Phi.Redact(PatientCrypto.Normalize(p.Ssn)));
        log.LogInformation(""Last four {Last}"", Phi.Redact(p.Ssn.Substring(5)));
        log.LogInformation(""Found {Found}"", Phi.Redact(await PatientCrypto.LookupAsync(p.Email)));
        log.LogInformation($""Patient {Phi.Redact(PatientCrypto.Normalize(p.Ssn))} checked in"");
        log.LogInformation(string.Format(""Patient {0} checked in"", Phi.Redact(p.Ssn)));
        log.LogInformation(""Patient "" + Phi.Redact(p.Email) + "" checked in"");
    }
}" + FixModels, "HIPAA001.Redact");

        [Fact]
        public Task Pseudonymize_wraps_the_value() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation(""Patient {Ssn} checked in"", {|HIPAA001:p.Ssn|});
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation(""Patient {Ssn} checked in"", Phi.Pseudonymize(p.Ssn));
    }
}" + FixModels, "HIPAA001.Pseudonymize");

        [Fact]
        public Task Fix_wraps_conditional_access_and_awaited_values_whole() => VerifyFix.VerifyFixAsync(@"
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    async Task Run(ILogger log, Patient? p)
    {
        log.LogInformation(""Patient {Ssn}"", {|HIPAA001:p?.Ssn|});
        log.LogInformation(""Patient {Ssn}"", {|HIPAA001:await LoadSsnAsync()|});
    }

    static Task<string> LoadSsnAsync() => Task.FromResult(System.Environment.GetEnvironmentVariable(""S"") ?? """");
}" + FixModels, @"
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    async Task Run(ILogger log, Patient? p)
    {
        log.LogInformation(""Patient {Ssn}"", Phi.Redact(p?.Ssn));
        log.LogInformation(""Patient {Ssn}"", Phi.Redact(await LoadSsnAsync()));
    }

    static Task<string> LoadSsnAsync() => Task.FromResult(System.Environment.GetEnvironmentVariable(""S"") ?? """");
}" + FixModels, "HIPAA001.Redact");

        [Fact]
        public Task An_existing_using_is_not_repeated() => VerifyFix.VerifyFixAsync(@"
using HipaaAnalyzers.Runtime;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation(""Patient {Ssn}"", Phi.Redact(p.Ssn));
        log.LogInformation(""Email {Email}"", {|HIPAA001:p.Email|});
    }
}" + FixModels, @"
using HipaaAnalyzers.Runtime;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation(""Patient {Ssn}"", Phi.Redact(p.Ssn));
        log.LogInformation(""Email {Email}"", Phi.Redact(p.Email));
    }
}" + FixModels, "HIPAA001.Redact");

        [Fact]
        public Task Interpolation_holes_are_wrapped_and_keep_their_format() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation($""Patient {{|HIPAA001:p.Ssn|}} born {{|HIPAA001:p.DateOfBirth|}:d} checked in"");
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation($""Patient {Phi.Redact(p.Ssn)} born {Phi.Redact(p.DateOfBirth):d} checked in"");
    }
}" + FixModels, "HIPAA001.Redact");

        [Fact]
        public Task The_value_a_lambda_returns_is_wrapped() => VerifyFix.VerifyFixAsync(@"
using System.Linq;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient[] all)
    {
        log.LogInformation(string.Join("","", all.Select(x => {|HIPAA001:x.Ssn|})));
    }
}" + FixModels, @"
using System.Linq;
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(ILogger log, Patient[] all)
    {
        log.LogInformation(string.Join("","", all.Select(x => Phi.Pseudonymize(x.Ssn))));
    }
}" + FixModels, "HIPAA001.Pseudonymize");

        [Fact]
        public Task The_whole_argument_is_wrapped_when_phi_arrives_through_a_local_or_a_call() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    static string Describe(Patient p) => ""Patient "" + p.Email;

    void Run(ILogger log, Patient p)
    {
        var message = ""Patient "" + p.Ssn;
        log.LogInformation({|HIPAA001:message|});
        log.LogInformation({|HIPAA001:Describe(p)|});
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    static string Describe(Patient p) => ""Patient "" + p.Email;

    void Run(ILogger log, Patient p)
    {
        var message = ""Patient "" + p.Ssn;
        log.LogInformation(Phi.Redact(message));
        log.LogInformation(Phi.Redact(Describe(p)));
    }
}" + FixModels, "HIPAA001.Redact");

        [Fact]
        public Task Comments_and_line_breaks_around_the_value_stay() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation(
            ""Patient {Ssn}"",
            /* who */ {|HIPAA001:p.Ssn|} // the patient
            );
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation(
            ""Patient {Ssn}"",
            /* who */ Phi.Redact(p.Ssn) // the patient
            );
    }
}" + FixModels, "HIPAA001.Redact");

        [Fact]
        public Task The_using_goes_where_the_other_usings_are() => VerifyFix.VerifyFixAsync(@"
namespace App
{
    using Microsoft.Extensions.Logging;
    using Clinic;

    class Svc
    {
        void Run(ILogger log, Patient p) => log.LogInformation(""{Ssn} {Email}"", {|HIPAA001:p.Ssn|}, {|HIPAA001:p.Email|});
    }
}" + FixModels, @"
namespace App
{
    using Microsoft.Extensions.Logging;
    using Clinic;
    using HipaaAnalyzers.Runtime;

    class Svc
    {
        void Run(ILogger log, Patient p) => log.LogInformation(""{Ssn} {Email}"", Phi.Redact(p.Ssn), Phi.Redact(p.Email));
    }
}" + FixModels, "HIPAA001.Redact");

        [Fact]
        public Task The_full_name_stays_when_Phi_already_means_something_else() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    string Phi = ""local"";

    void Run(ILogger log, Patient p)
    {
        log.LogInformation(""{Ssn} {Label}"", {|HIPAA001:p.Ssn|}, Phi);
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    string Phi = ""local"";

    void Run(ILogger log, Patient p)
    {
        log.LogInformation(""{Ssn} {Label}"", HipaaAnalyzers.Runtime.Phi.Redact(p.Ssn), Phi);
    }
}" + FixModels, "HIPAA001.Redact");

        [Fact]
        public Task Fix_all_wraps_the_outer_value_and_leaves_the_phi_inside_it_alone() => VerifyFix.VerifyFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        var message = ""Patient "" + p.Ssn;
        log.LogInformation({|HIPAA001:message + "" "" + {|HIPAA001:p.Email|}|});
    }
}" + FixModels, @"
using Microsoft.Extensions.Logging;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        var message = ""Patient "" + p.Ssn;
        log.LogInformation(Phi.Redact(message + "" "" + p.Email));
    }
}" + FixModels, "HIPAA001.Redact", iterations: 1);

        [Fact]
        public Task A_call_whose_overload_changes_still_compiles() => VerifyFix.VerifyFixAsync(@"
using System;
using Clinic;
class Svc
{
    void Run(Chart chart)
    {
        Console.WriteLine({|HIPAA001:chart.Initial|});
    }
}
namespace Clinic
{
    public class Chart
    {
        [HipaaAnalyzers.Runtime.Phi] public char Initial { get; set; }
    }
}
", @"
using System;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(Chart chart)
    {
        Console.WriteLine(Phi.Redact(chart.Initial));
    }
}
namespace Clinic
{
    public class Chart
    {
        [HipaaAnalyzers.Runtime.Phi] public char Initial { get; set; }
    }
}
", "HIPAA001.Redact");

        [Fact]
        public Task No_fix_when_wrapping_would_change_what_a_lambda_returns() => VerifyFix.VerifyNoFixAsync(@"
using System.Linq;
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient[] all)
    {
        log.LogInformation(string.Join("","", all.Select(x => {|HIPAA001:x.DateOfBirth|})));
    }
}" + FixModels);

        [Fact]
        public Task No_fix_when_the_runtime_library_is_not_referenced() => VerifyFix.VerifyNoFixAsync(@"
using Microsoft.Extensions.Logging;
using Clinic;
class Svc
{
    void Run(ILogger log, Patient p)
    {
        log.LogInformation(""Patient {Ssn}"", {|HIPAA001:p.Ssn|});
    }
}" + FixModels, referenceRuntime: false);
    }
}
