using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA004PhiInTelemetryOrUrlAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA004PhiInTelemetryOrUrlTests
{
    /// <summary>Typed HTTP clients carry values into URLs and headers: Refit interfaces, RestSharp requests, Flurl URLs.</summary>
    public class HttpClients
    {
        // The libraries' shapes, declared here: the rule matches them by namespace and name.
        private const string Libraries = @"
namespace Refit
{
    [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class GetAttribute : System.Attribute { public GetAttribute(string path) { } }
    [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class PostAttribute : System.Attribute { public PostAttribute(string path) { } }
    [System.AttributeUsage(System.AttributeTargets.Parameter)] public sealed class HeaderAttribute : System.Attribute { public HeaderAttribute(string name) { } }
    [System.AttributeUsage(System.AttributeTargets.Parameter)] public sealed class AliasAsAttribute : System.Attribute { public AliasAsAttribute(string name) { } }
    [System.AttributeUsage(System.AttributeTargets.Parameter)] public sealed class BodyAttribute : System.Attribute { }
    [System.AttributeUsage(System.AttributeTargets.Parameter)] public sealed class QueryAttribute : System.Attribute { }
}

namespace RestSharp
{
    public class RestRequest
    {
        public RestRequest(string resource) { }
    }

    public static class RestRequestExtensions
    {
        public static RestRequest AddQueryParameter(this RestRequest request, string name, string? value, bool encode = true) => request;
        public static RestRequest AddUrlSegment(this RestRequest request, string name, string? value, bool encode = true) => request;
        public static RestRequest AddHeader(this RestRequest request, string name, string value) => request;
    }
}

namespace Flurl
{
    public class Url { }

    public static class GeneratedExtensions
    {
        public static Url AppendPathSegment(this string url, object segment, bool fullyEncode = false) => new Url();
        public static Url SetQueryParam(this Url url, string name, object? value) => url;
    }
}

namespace Flurl.Http
{
    public static class HeaderExtensions
    {
        public static Flurl.Url WithHeader(this Flurl.Url url, string name, object value) => url;
    }
}

namespace Clinic
{
    public class Patient
    {
        public int Id { get; set; }
        public string Ssn { get; set; } = """";
        public string FullName { get; set; } = """";
        public string MedicalRecordNumber { get; set; } = """";
    }

    public class SearchRequest
    {
        public string Ssn { get; set; } = """";
    }
}
";

        [Fact]
        public Task Reports_phi_in_refit_routes_queries_and_headers() => Verify.VerifyAsync(@"
using System.Threading;
using System.Threading.Tasks;
using Clinic;
using Refit;

public interface IRegistryApi
{
    [Get(""/patients/by-ssn/{ssn}"")]
    Task<Patient> BySsn(string ssn, CancellationToken cancellationToken);

    [Get(""/patients/search"")]
    Task<Patient[]> Search(string name, [AliasAs(""mrn"")] string medicalRecordNumber);

    [Post(""/patients/{id}/notes"")]
    Task AddNote(int id, [Header(""X-Patient-Ssn"")] string ssn, [Body] Patient patient);
}

class Sync
{
    async Task Run(IRegistryApi api, Patient p, CancellationToken token)
    {
        await api.BySsn({|HIPAA004:p.Ssn|}, token);
        await api.Search({|HIPAA004:p.FullName|}, {|HIPAA004:p.MedicalRecordNumber|});
        await api.AddNote(p.Id, {|HIPAA004:p.Ssn|}, p);
    }
}" + Libraries);

        [Fact]
        public Task Reports_phi_in_restsharp_and_flurl_urls_and_headers() => Verify.VerifyAsync(@"
using Clinic;
using Flurl;
using Flurl.Http;
using RestSharp;

class Sync
{
    void Run(Patient p)
    {
        var request = new RestRequest(""patients/{ssn}"")
            .AddUrlSegment(""ssn"", {|HIPAA004:p.Ssn|})
            .AddQueryParameter(""mrn"", {|HIPAA004:p.MedicalRecordNumber|})
            .AddHeader(""X-Patient"", {|HIPAA004:p.FullName|});

        var url = ""https://registry.example/patients""
            .AppendPathSegment({|HIPAA004:p.Ssn|})
            .SetQueryParam(""name"", {|HIPAA004:p.FullName|})
            .WithHeader(""X-Mrn"", {|HIPAA004:p.MedicalRecordNumber|});
    }
}" + Libraries);

        [Fact]
        public Task Leaves_alone_ids_bodies_and_methods_that_are_not_http_clients() => Verify.VerifyAsync(@"
using System.Threading;
using System.Threading.Tasks;
using Clinic;
using Flurl;
using Refit;
using RestSharp;

public interface IRegistryApi
{
    [Get(""/patients/{id}"")]
    Task<Patient> Get(int id, CancellationToken cancellationToken);

    [Post(""/patients/search"")]
    Task<Patient[]> Search([Body] SearchRequest request);

    [Post(""/patients"")]
    Task Create(Patient patient);
}

public interface IPatientStore
{
    Task<Patient> FindBySsn(string ssn);
}

class Sync
{
    async Task Run(IRegistryApi api, IPatientStore store, Patient p, CancellationToken token)
    {
        await api.Get(p.Id, token);
        await api.Search(new SearchRequest { Ssn = p.Ssn });
        await api.Create(p);
        await store.FindBySsn(p.Ssn);
        new RestRequest(""patients/{id}"").AddUrlSegment(""id"", p.Id.ToString());
        ""https://registry.example/patients"".AppendPathSegment(p.Id);
    }
}" + Libraries);
    }
}
