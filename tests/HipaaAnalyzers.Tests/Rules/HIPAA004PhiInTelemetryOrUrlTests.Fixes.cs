using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA004PhiInTelemetryOrUrlAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA004PhiInTelemetryOrUrlFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA004PhiInTelemetryOrUrlTests
{
    /// <summary>The code fix: Phi.Redact around the PHI in the tag, URL or header.</summary>
    public class Fixes
    {

        [Fact]
        public async Task Offers_redact()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
class Svc
{
    void Run(System.Diagnostics.Activity activity, string ssn) => activity.SetTag(""ssn"", ssn);
}");

            Assert.Equal(new (string, string?)[] { ("Redact with Phi.Redact", "HIPAA004.Redact") }, offered);
        }

        [Fact]
        public Task Redact_wraps_a_trace_tag_value() => VerifyFix.VerifyFixAsync(@"
using System.Diagnostics;
using Clinic;
class Svc
{
    void Run(Activity activity, Patient p)
    {
        activity.SetTag(""ssn"", {|HIPAA004:p.Ssn|});
    }
}" + Models, @"
using System.Diagnostics;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    void Run(Activity activity, Patient p)
    {
        activity.SetTag(""ssn"", Phi.Redact(p.Ssn));
    }
}" + Models, "HIPAA004.Redact");

        [Fact]
        public Task Redact_wraps_an_interpolated_url_hole() => VerifyFix.VerifyFixAsync(@"
using System;
class Svc
{
    Uri Lookup(string ssn) => new Uri($""https://api.example.test/p?ssn={{|HIPAA004:ssn|}}"");
}", @"
using System;
using HipaaAnalyzers.Runtime;
class Svc
{
    Uri Lookup(string ssn) => new Uri($""https://api.example.test/p?ssn={Phi.Redact(ssn)}"");
}", "HIPAA004.Redact");

        [Fact]
        public Task Redact_fixes_tags_metrics_urls_and_headers_in_one_file() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Clinic;
class Svc
{
    static readonly Counter<int> Visits = new Meter(""clinic"").CreateCounter<int>(""visits"");

    async Task Run(Activity activity, HttpClient client, HttpResponse response, Patient p, string ssn)
    {
        activity.AddBaggage(""mrn"", {|HIPAA004:p.MedicalRecordNumber|});
        Visits.Add(1, new KeyValuePair<string, object?>(""email"", {|HIPAA004:p.Email|}));
        var url = ""https://records.example.test/patients/"" + ssn;
        await client.GetStringAsync({|HIPAA004:url|});
        client.DefaultRequestHeaders.Add(""X-Patient-Mrn"", {|HIPAA004:p.MedicalRecordNumber|});
        response.Headers[""X-Patient-Email""] = {|HIPAA004:p.Email|};
        response.Cookies.Append(""ssn"", {|HIPAA004:ssn|});
    }
}" + Models, @"
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Clinic;
using HipaaAnalyzers.Runtime;
class Svc
{
    static readonly Counter<int> Visits = new Meter(""clinic"").CreateCounter<int>(""visits"");

    async Task Run(Activity activity, HttpClient client, HttpResponse response, Patient p, string ssn)
    {
        activity.AddBaggage(""mrn"", Phi.Redact(p.MedicalRecordNumber));
        Visits.Add(1, new KeyValuePair<string, object?>(""email"", Phi.Redact(p.Email)));
        var url = ""https://records.example.test/patients/"" + ssn;
        await client.GetStringAsync(Phi.Redact(url));
        client.DefaultRequestHeaders.Add(""X-Patient-Mrn"", Phi.Redact(p.MedicalRecordNumber));
        response.Headers[""X-Patient-Email""] = Phi.Redact(p.Email);
        response.Cookies.Append(""ssn"", Phi.Redact(ssn));
    }
}" + Models, "HIPAA004.Redact");

        [Fact]
        public Task Redact_does_not_repeat_an_existing_using() => VerifyFix.VerifyFixAsync(@"
using System.Diagnostics;
using HipaaAnalyzers.Runtime;
using Clinic;
class Svc
{
    void Run(Activity activity, Patient p)
    {
        activity.SetTag(""patient"", Phi.Pseudonymize(p.Ssn));
        activity.SetTag(""email"", {|HIPAA004:p.Email|});
    }
}" + Models, @"
using System.Diagnostics;
using HipaaAnalyzers.Runtime;
using Clinic;
class Svc
{
    void Run(Activity activity, Patient p)
    {
        activity.SetTag(""patient"", Phi.Pseudonymize(p.Ssn));
        activity.SetTag(""email"", Phi.Redact(p.Email));
    }
}" + Models, "HIPAA004.Redact");
    }
}
