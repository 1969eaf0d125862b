using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA001PhiInLogAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Values that name no patient's record: query dates, counts, login forms, a provider's own account.</summary>
public partial class HIPAA001PhiInLogTests
{
    [Fact]
    public Task Query_dates_counts_login_forms_and_a_providers_account_are_not_phi() => Verify.VerifyAsync(@"
using System;
using Microsoft.Extensions.Logging;
class PatientLoginViewModel
{
    public string Email { get; set; } = """";
    public string Password { get; set; } = """";
}
class User
{
    public string FirstName { get; set; } = """";
    public DateTime DateOfBirth { get; set; }
}
class Provider
{
    public int Id { get; set; }
    public User User { get; set; } = null!;
}
class Dashboard
{
    public int ActivePrescriptions { get; set; }
    public int TotalDiagnoses { get; set; }
}
class PatientController
{
    private readonly ILogger _log = null!;
    public void GetAvailableTimeSlots(int doctorId, DateTime appointmentDate) =>
        _log.LogInformation(""Slots of {Doctor} on {Date}"", doctorId, appointmentDate);
    public void Login(PatientLoginViewModel model) => _log.LogInformation(""Login {Email}"", model.Email);
    public void Stats(Dashboard d) => _log.LogInformation(""{Rx} {Dx}"", d.ActivePrescriptions, d.TotalDiagnoses);
    public void Providers(Provider p) => _log.LogInformation(""{@Provider}"", p);
}");
}
