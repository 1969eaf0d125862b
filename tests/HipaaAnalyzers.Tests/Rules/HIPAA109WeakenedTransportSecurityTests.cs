using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA109WeakenedTransportSecurityAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA109WeakenedTransportSecurityTests
{
    /// <summary>JwtBearer and OpenIdConnect ship as separate packages; their options types, as declared there.</summary>
    internal const string AuthenticationOptions = """

        namespace Microsoft.AspNetCore.Authentication.JwtBearer
        {
            public class JwtBearerOptions : Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions
            {
                public bool RequireHttpsMetadata { get; set; } = true;
                public string? Authority { get; set; }
                public string? MetadataAddress { get; set; }
                public Microsoft.IdentityModel.Tokens.TokenValidationParameters TokenValidationParameters { get; set; } = new();
            }
        }

        namespace Microsoft.AspNetCore.Authentication.OpenIdConnect
        {
            public class OpenIdConnectOptions : Microsoft.AspNetCore.Authentication.RemoteAuthenticationOptions
            {
                public bool RequireHttpsMetadata { get; set; } = true;
                public string? Authority { get; set; }
                public string? MetadataAddress { get; set; }
            }
        }

        namespace Microsoft.IdentityModel.Tokens
        {
            public abstract class SecurityKey { }

            public class SymmetricSecurityKey : SecurityKey
            {
                public SymmetricSecurityKey(byte[] key) { }
            }

            public class TokenValidationParameters
            {
                public SecurityKey? IssuerSigningKey { get; set; }
                public bool ValidateIssuer { get; set; } = true;
            }
        }

        namespace Microsoft.Extensions.DependencyInjection
        {
            public static class JwtBearerExtensions
            {
                public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddJwtBearer(
                    this Microsoft.AspNetCore.Authentication.AuthenticationBuilder builder,
                    System.Action<Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions> configureOptions) => builder;
            }
        }
        """;

    [Fact]
    public Task Reports_certificate_validation_turned_off() => Verify.VerifyAsync("""
        using System.Net;
        using System.Net.Http;
        using System.Net.Security;
        using System.IO;
        class Clients
        {
            static bool AcceptAll(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? c,
                System.Security.Cryptography.X509Certificates.X509Chain? ch, SslPolicyErrors e) => true;

            void Run(Stream stream)
            {
                var a = new HttpClientHandler { ServerCertificateCustomValidationCallback = {|HIPAA109:(m, c, ch, e) => true|} };
                var b = new HttpClientHandler();
                b.ServerCertificateCustomValidationCallback = {|HIPAA109:HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|};
                ServicePointManager.ServerCertificateValidationCallback = {|HIPAA109:delegate { return true; }|};
                ServicePointManager.ServerCertificateValidationCallback += {|HIPAA109:(s, c, ch, e) => { System.Console.WriteLine(e); return true; }|};
                var ssl = new SslStream(stream, false, {|HIPAA109:AcceptAll|});
                var handler = new SocketsHttpHandler();
                handler.SslOptions.RemoteCertificateValidationCallback = {|HIPAA109:(s, c, ch, e) => (true)|};
            }
        }
        """);

    [Fact]
    public Task Does_not_report_callbacks_that_check_the_errors() => Verify.VerifyAsync("""
        using System.Net.Http;
        using System.Net.Security;
        class Clients
        {
            void Run(string thumbprint)
            {
                var a = new HttpClientHandler { ServerCertificateCustomValidationCallback = (m, c, ch, e) => e == SslPolicyErrors.None };
                var b = new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (m, c, ch, e) =>
                    {
                        if (e == SslPolicyErrors.None) return true;
                        return c?.Thumbprint == thumbprint;
                    },
                };
                var h = new SocketsHttpHandler();
                h.SslOptions.RemoteCertificateValidationCallback = (s, c, ch, e) => { return e == SslPolicyErrors.None; };
            }
        }
        """);

    [Fact]
    public Task Reports_old_protocols_set_or_passed() => Verify.VerifyAsync("""
        using System.Net;
        using System.Net.Http;
        using System.Net.Security;
        using System.Security.Authentication;
        using System.IO;
        class Tls
        {
            SslProtocols Pick() => {|HIPAA109:SslProtocols.Tls11|};

            void Run(SslStream ssl)
            {
                ServicePointManager.SecurityProtocol = {|HIPAA109:SecurityProtocolType.Tls|} | SecurityProtocolType.Tls12;
                ServicePointManager.SecurityProtocol |= {|HIPAA109:SecurityProtocolType.Tls11|};
                var handler = new HttpClientHandler { SslProtocols = {|HIPAA109:SslProtocols.Tls|} };
                ssl.AuthenticateAsClient("ehr.example.org", null, {|HIPAA109:SslProtocols.Tls11|}, false);
                var options = new SslClientAuthenticationOptions();
                options.EnabledSslProtocols = {|HIPAA109:SslProtocols.Tls|} | {|HIPAA109:SslProtocols.Tls11|} | SslProtocols.Tls12;
            }
        }
        """);

    [Fact]
    public Task Does_not_report_modern_protocols_comparisons_or_removal() => Verify.VerifyAsync("""
        using System.Net;
        using System.Net.Http;
        using System.Security.Authentication;
        class Tls
        {
            void Run(SslProtocols negotiated)
            {
                var a = new HttpClientHandler { SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 };
                var b = new HttpClientHandler { SslProtocols = SslProtocols.None };
                ServicePointManager.SecurityProtocol = SecurityProtocolType.SystemDefault;
                ServicePointManager.SecurityProtocol &= ~(SecurityProtocolType.Tls | SecurityProtocolType.Tls11);
                bool old = negotiated == SslProtocols.Tls11 || (negotiated & SslProtocols.Tls) != 0;
                switch (negotiated) { case SslProtocols.Tls: break; }
            }
        }
        """);

    [Fact]
    public Task Reports_http_addresses_of_remote_hosts_that_reach_the_network() => Verify.VerifyAsync("""
        using System;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Threading.Tasks;
        class Payer
        {
            const string Eligibility = "http://eligibility.payer.example/v1/";

            async Task Run(HttpClient client, string host, int id)
            {
                client.BaseAddress = new Uri({|HIPAA109:"http://api.payer.example/"|});
                await client.GetAsync({|HIPAA109:"http://api.payer.example/claims"|});
                await client.PostAsync({|HIPAA109:$"http://{host}/claims/{id}"|}, null);
                await client.GetFromJsonAsync<string>({|HIPAA109:"HTTP://records.payer.net/patients"|});
                var request = new HttpRequestMessage(HttpMethod.Get, {|HIPAA109:"http://10.0.0.5/fhir/Patient"|});
                var url = {|HIPAA109:"http://labs.partner.net/results"|};
                await client.GetStringAsync(url);
                await client.GetAsync({|HIPAA109:Eligibility|});
            }
        }
        """);

    [Fact]
    public Task Does_not_report_loopback_https_namespaces_or_strings_that_never_reach_the_network() => Verify.VerifyAsync("""
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using System.Xml.Linq;
        class Local
        {
            async Task Run(HttpClient client)
            {
                await client.GetAsync("http://localhost/health");
                await client.GetAsync("http://127.0.0.1:5000/ready");
                await client.GetAsync("http://[::1]:8080/");
                await client.GetAsync("http://api.localhost/x");
                await client.GetAsync("https://api.payer.example/claims");
                await client.GetAsync("v1/claims");
                var soap = new Uri("http://schemas.xmlsoap.org/soap/envelope/");
                var xsi = new Uri("http://www.w3.org/2001/XMLSchema-instance");
                XNamespace ns = "http://hl7.org/fhir";
                string docs = "http://example.com/docs";   // never reaches a network API
                Console.WriteLine(docs);
            }
        }
        """);

    [Fact]
    public Task Reports_require_https_metadata_turned_off() => Verify.VerifyAsync("""
        using Microsoft.AspNetCore.Authentication.JwtBearer;
        using Microsoft.AspNetCore.Authentication.OpenIdConnect;
        class Auth
        {
            void Configure(JwtBearerOptions jwt, OpenIdConnectOptions oidc, bool isDevelopment, string metadata)
            {
                jwt.Authority = {|HIPAA109:"http://idp.clinic.net"|};
                {|HIPAA109:jwt.RequireHttpsMetadata = false|};
                var o = new OpenIdConnectOptions { MetadataAddress = metadata, {|HIPAA109:RequireHttpsMetadata = false|} };
                oidc.RequireHttpsMetadata = !isDevelopment;   // decided per environment: not reported
                jwt.RequireHttpsMetadata = true;
            }
        }
        """ + AuthenticationOptions);

    [Fact]
    public Task Message_explains_the_problem() => Verify.VerifyAsync("""
        using System.Net.Http;
        using System.Threading.Tasks;
        class C
        {
            Task M(HttpClient c) => c.GetAsync({|#0:"http://api.partner.net/x"|});
        }
        """, Verify.Diagnostic("HIPAA109").WithLocation(0).WithArguments("'http://api.partner.net/x' is sent over unencrypted HTTP by 'HttpClient.GetAsync'; use https://"));
}
