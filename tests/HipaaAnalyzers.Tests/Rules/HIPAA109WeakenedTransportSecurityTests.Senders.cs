using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA109WeakenedTransportSecurityAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA109WeakenedTransportSecurityTests
{
    /// <summary>
    /// http:// addresses count only where something sends to them; identifier URIs never count; RequireHttpsMetadata = false
    /// counts only where the handler would fetch metadata from an address that is not https://.
    /// </summary>
    public class Senders
    {
        [Fact]
        public Task Reports_http_addresses_that_reach_a_client_a_request_or_a_redirect() => Verify.VerifyAsync("""
            using System;
            using System.Net;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.Extensions.DependencyInjection;

            class LabResults
            {
                private static readonly Uri LegacyLab = new Uri("http://legacy-lab.partner.net/");

                async Task Run(HttpClient client, HttpClient http, IServiceCollection services, HttpResponse response, string path)
                {
                    client.BaseAddress = new Uri({|HIPAA109:"http://lab.partner.net/"|});
                    await http.GetAsync({|HIPAA109:"http://lab.partner.net/results"|});
                    services.AddHttpClient("lab", c => c.BaseAddress = new Uri({|HIPAA109:"http://lab.partner.net/"|}));
                    var tracked = new HttpClient { BaseAddress = new Uri({|HIPAA109:"http://tracking.partner.net/"|}) };
                    var results = new Uri({|HIPAA109:"http://lab.partner.net/results"|});
                    await http.GetAsync(results);
                    await http.GetAsync(new Uri(new Uri({|HIPAA109:"http://lab.partner.net/"|}), path));
                    await http.GetAsync({|HIPAA109:LegacyLab|});
                    var order = new HttpRequestMessage { Method = HttpMethod.Post, RequestUri = new Uri({|HIPAA109:"http://lab.partner.net/orders"|}) };
                    var status = new HttpRequestMessage(HttpMethod.Get, new Uri({|HIPAA109:"http://lab.partner.net/status"|}));
                    var legacy = WebRequest.Create(new Uri({|HIPAA109:"http://lab.partner.net/legacy"|}));
                    using var web = new WebClient();
                    web.DownloadString(new Uri({|HIPAA109:"http://lab.partner.net/legacy"|}));
                    response.Redirect({|HIPAA109:"http://portal.clinic.net/"|});
                    var result = Results.Redirect({|HIPAA109:"http://portal.clinic.net/"|});
                }
            }

            class PortalController : ControllerBase
            {
                public IActionResult SignIn() => Redirect({|HIPAA109:"http://portal.clinic.net/login"|});
                public IActionResult Moved() => RedirectPermanent({|HIPAA109:"http://portal.clinic.net/"|});
                public IActionResult Elsewhere() => new RedirectResult({|HIPAA109:"http://portal.clinic.net/"|});
            }
            """);

        [Fact]
        public Task Message_names_the_sender_or_the_redirect() => Verify.VerifyAsync("""
            using System;
            using System.Net.Http;
            using Microsoft.AspNetCore.Http;
            class C
            {
                void M(HttpClient client) => client.BaseAddress = new Uri({|#0:"http://lab.partner.net/"|});
                IResult R() => Results.Redirect({|#1:"http://portal.clinic.net/"|});
            }
            """,
            Verify.Diagnostic("HIPAA109").WithLocation(0).WithArguments("'http://lab.partner.net/' is sent over unencrypted HTTP by 'HttpClient.BaseAddress'; use https://"),
            Verify.Diagnostic("HIPAA109").WithLocation(1).WithArguments("'http://portal.clinic.net/' sends the browser to unencrypted HTTP through 'Results.Redirect'; use https://"));

        [Fact]
        public Task Does_not_report_uris_that_only_name_parse_or_compare() => Verify.VerifyAsync("""
            using System;
            using System.Collections.Generic;

            class Observations
            {
                private static readonly Uri Registry = new Uri("http://registry.partner.net/");   // a field nobody sends

                public bool IsUcum(Uri unit) => new Uri("http://unitsofmeasure.org").IsBaseOf(unit);

                public string LocalPath(string relative) => new Uri(new Uri("http://example.com"), relative).AbsolutePath;

                public Uri RelativeTo(Uri target) => new Uri("http://records.partner.net/base/").MakeRelativeUri(target);

                public bool IsLoinc(string system) => system == "http://loinc.org" || string.Equals(system, "http://snomed.info/sct", StringComparison.Ordinal);

                public bool IsRecords(Uri uri) => uri == new Uri("http://records.partner.net/") || Registry.IsBaseOf(uri);

                public Dictionary<string, Uri> Systems() => new() { ["ucum"] = new Uri("http://unitsofmeasure.org") };
            }
            """);

        [Fact]
        public Task Does_not_report_identifier_uris_whatever_they_reach() => Verify.VerifyAsync("""
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class Terminology
            {
                async Task Run(HttpClient http)
                {
                    http.BaseAddress = new Uri("http://terminology.hl7.org/");
                    await http.GetAsync("http://hl7.org/fhir/R4/valueset-languages.json");
                    await http.GetAsync("http://loinc.org/downloads/");
                    await http.GetAsync("http://snomed.info/sct");
                    await http.GetAsync("http://unitsofmeasure.org/ucum.html");
                    await http.GetAsync("http://www.example.com/test");
                    await http.GetAsync("http://api.example.org/");
                    await http.GetAsync("http://example.net");
                    await http.GetAsync("http://www.w3.org/2001/XMLSchema");
                    await http.GetAsync("http://schemas.xmlsoap.org/soap/envelope/");
                    await http.GetAsync("http://schemas.microsoft.com/ws/2008/06/identity/claims/role");
                }
            }
            """);

        [Fact]
        public Task Reports_require_https_metadata_false_where_metadata_is_fetched_from_a_non_https_address() => Verify.VerifyAsync("""
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Authentication.OpenIdConnect;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;

            class Auth
            {
                void Configure(IServiceCollection services, IConfiguration configuration)
                {
                    services.AddAuthentication().AddJwtBearer(o =>
                    {
                        o.Authority = {|HIPAA109:"http://idp.clinic.net"|};
                        {|HIPAA109:o.RequireHttpsMetadata = false|};
                    });
                    services.AddAuthentication().AddJwtBearer(o =>
                    {
                        {|HIPAA109:o.RequireHttpsMetadata = false|};
                        o.Authority = configuration["Auth:Authority"];
                    });
                    var oidc = new OpenIdConnectOptions
                    {
                        MetadataAddress = {|HIPAA109:"http://idp.clinic.net/.well-known/openid-configuration"|},
                        {|HIPAA109:RequireHttpsMetadata = false|},
                    };
                }
            }
            """ + AuthenticationOptions);

        [Fact]
        public Task Does_not_report_require_https_metadata_false_when_nothing_is_fetched_over_http() => Verify.VerifyAsync("""
            using System.Text;
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            using Microsoft.AspNetCore.Authentication.OpenIdConnect;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.IdentityModel.Tokens;

            class Auth
            {
                void Configure(IServiceCollection services, IConfiguration configuration, JwtBearerOptions other)
                {
                    services.AddAuthentication().AddJwtBearer(o =>
                    {
                        o.RequireHttpsMetadata = false;
                        o.TokenValidationParameters = new()
                        {
                            ValidateIssuer = false,
                            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(configuration["Jwt:Key"]!)),
                        };
                    });
                    services.AddAuthentication().AddJwtBearer(o =>
                    {
                        o.Authority = "https://login.clinic.net";
                        o.RequireHttpsMetadata = false;
                    });
                    services.AddAuthentication().AddJwtBearer(o =>
                    {
                        o.Authority = "http://localhost:5001";
                        o.RequireHttpsMetadata = false;
                    });
                    services.AddAuthentication().AddJwtBearer(o =>
                    {
                        other.Authority = configuration["Auth:Authority"];   // another options object
                        o.RequireHttpsMetadata = false;
                    });
                    var oidc = new OpenIdConnectOptions { RequireHttpsMetadata = false };
                }
            }
            """ + AuthenticationOptions);
    }
}
