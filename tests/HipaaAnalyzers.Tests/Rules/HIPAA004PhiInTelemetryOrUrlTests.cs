using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA004PhiInTelemetryOrUrlAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA004PhiInTelemetryOrUrlTests
{
    private const string Models = @"
namespace Clinic
{
    public class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
        public string Email { get; set; } = """";
        public string MedicalRecordNumber { get; set; } = """";
    }
}
";

    [Fact]
    public Task Reports_phi_in_trace_tags_baggage_and_metric_tags() => Verify.VerifyAsync(@"
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Clinic;
class Svc
{
    static readonly Counter<int> Visits = new Meter(""clinic"").CreateCounter<int>(""visits"");

    void Run(Activity activity, Patient p)
    {
        activity.SetTag(""patient.ssn"", {|HIPAA004:p.Ssn|});
        activity.AddBaggage(""mrn"", {|HIPAA004:p.MedicalRecordNumber|});
        Visits.Add(1, new KeyValuePair<string, object?>(""email"", {|HIPAA004:p.Email|}));
        activity.SetTag(""patient.id"", p.Id);
    }
}" + Models);

    [Fact]
    public Task Reports_phi_in_urls_query_strings_and_headers() => Verify.VerifyAsync(@"
using System;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Clinic;
class Svc
{
    async Task Run(HttpClient client, HttpResponse response, Patient p, string ssn)
    {
        var uri = new Uri($""https://records.example.test/patients?ssn={{|HIPAA004:p.Ssn|}}"");
        await client.GetAsync(uri);
        var url = ""https://records.example.test/patients/"" + ssn;
        await client.GetStringAsync({|HIPAA004:url|});
        client.DefaultRequestHeaders.Add(""X-Patient-Mrn"", {|HIPAA004:p.MedicalRecordNumber|});
        response.Headers[""X-Patient-Email""] = {|HIPAA004:p.Email|};
        response.Cookies.Append(""ssn"", {|HIPAA004:ssn|});
        response.Redirect($""/patients/lookup?ssn={{|HIPAA004:ssn|}}"");
    }
}" + Models);

    [Fact]
    public Task Leaves_alone_ids_redacted_values_and_constant_urls() => Verify.VerifyAsync(@"
using System;
using System.Diagnostics;
using System.Net.Http;
using System.Threading.Tasks;
using HipaaAnalyzers.Runtime;
using Clinic;
class Svc
{
    async Task Run(HttpClient client, Activity activity, Patient p)
    {
        await client.GetAsync($""https://records.example.test/patients/{p.Id}"");
        var uri = new Uri(""https://records.example.test/patients/search"");
        await client.GetAsync(uri);
        activity.SetTag(""patient"", Phi.Pseudonymize(p.Ssn));
        activity.SetTag(""ssn.valid"", p.Ssn.Length == 9);
        client.DefaultRequestHeaders.Add(""X-Request-Kind"", ""lookup"");
    }
}" + Models);
}
