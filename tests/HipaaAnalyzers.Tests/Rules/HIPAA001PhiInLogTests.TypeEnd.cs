using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA001PhiInLogAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>
/// Log calls in members of a class or struct are judged at the end of that type, the others at once: each is reported
/// exactly once, wherever it is written.
/// </summary>
public partial class HIPAA001PhiInLogTests
{
    [Fact]
    public async Task Reports_each_log_call_once_in_every_kind_of_type_and_in_top_level_statements()
    {
        var test = Verify.Create(@"
using System;
using Microsoft.Extensions.Logging;
using Clinic;

var factory = LoggerFactory.Create(_ => { });
var top = factory.CreateLogger(""top"");
var patient = new Patient();
top.LogInformation(""{Ssn}"", {|HIPAA001:patient.Ssn|});
void Local() => top.LogWarning(""{Email}"", {|HIPAA001:patient.Email|});
Local();

public class Service
{
    private readonly ILogger<Service> _log;

    public Service(ILogger<Service> log)
    {
        _log = log;
        Action<Patient> early = p => _log.LogDebug(""{Name}"", {|HIPAA001:p.FirstName|});
        early(new Patient());
    }

    public void Trace(Patient item) => _log.LogTrace(""{Description}"", {|HIPAA001:Describe(item)|});

    private string Describe(Patient item) => item.FirstName + "" "" + item.Ssn;

    public void Quiet(Patient item) => _log.LogInformation(""{Visits}"", item.VisitCount);

    public class Nested
    {
        public void Run(ILogger log, Patient p)
        {
            void Inner() => log.LogError(""{Dob}"", {|HIPAA001:p.DateOfBirth|});
            Inner();
        }

        private sealed class Deeper
        {
            public static void Run(ILogger log, Patient p) => log.LogWarning(""{Ssn}"", {|HIPAA001:p.Ssn|});
        }
    }
}

public struct Reading
{
    public void Write(ILogger log, Patient p) => log.LogInformation(""{Email}"", {|HIPAA001:p.Email|});
}

public record Visit(Patient Patient)
{
    public void Write(ILogger log) => log.LogInformation(""{Ssn}"", {|HIPAA001:Patient.Ssn|});
}

public interface IReporter
{
    void Report(ILogger log, Patient p) => log.LogInformation(""{Ssn}"", {|HIPAA001:p.Ssn|});
}
" + Models);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Reports_a_log_call_of_a_partial_class_through_a_method_of_its_other_part()
    {
        var test = Verify.Create(@"
using Microsoft.Extensions.Logging;
using Clinic;

public partial class Clerk
{
    public void Admit(ILogger log, Patient p) => log.LogInformation(""{Who}"", {|HIPAA001:Label(p)|});
}
" + Models);
        test.TestState.Sources.Add(("/0/Clerk.Format.cs", @"
using Clinic;

public partial class Clerk
{
    private static string Label(Patient p) => ""SSN "" + p.Ssn;

    public string Safe(Patient p) => ""visit "" + p.VisitCount;
}
"));
        await test.RunAsync(CancellationToken.None);
    }
}
