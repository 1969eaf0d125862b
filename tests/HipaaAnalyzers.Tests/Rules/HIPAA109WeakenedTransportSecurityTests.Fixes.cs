using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA109WeakenedTransportSecurityAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA109WeakenedTransportSecurityFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA109WeakenedTransportSecurityTests
{
    /// <summary>The code fix: remove the override.</summary>
    public class Fixes
    {
        [Fact]
        public Task Removes_callbacks_protocols_and_https_metadata_overrides() => VerifyFix.VerifyFixAsync("""
            using System.IO;
            using System.Net;
            using System.Net.Http;
            using System.Net.Security;
            using System.Security.Authentication;
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            class Clients
            {
                void Run(Stream stream, SslStream ssl, JwtBearerOptions jwt, string authority)
                {
                    var a = new HttpClientHandler
                    {
                        ServerCertificateCustomValidationCallback = {|HIPAA109:(m, c, ch, e) => true|},
                        SslProtocols = {|HIPAA109:SslProtocols.Tls11|},
                        UseCookies = false,
                    };
                    var b = new HttpClientHandler();
                    b.ServerCertificateCustomValidationCallback = {|HIPAA109:HttpClientHandler.DangerousAcceptAnyServerCertificateValidator|};
                    ServicePointManager.ServerCertificateValidationCallback += {|HIPAA109:(s, c, ch, e) => true|};
                    var s2 = new SslStream(stream, false, {|HIPAA109:(s, c, ch, e) => true|});
                    ServicePointManager.SecurityProtocol = {|HIPAA109:SecurityProtocolType.Tls|} | SecurityProtocolType.Tls12;
                    ssl.AuthenticateAsClient("ehr.example.org", null, {|HIPAA109:SslProtocols.Tls|}, false);
                    {|HIPAA109:jwt.RequireHttpsMetadata = false|};
                    jwt.Authority = authority;
                }
            }
            """ + AuthenticationOptions, """
            using System.IO;
            using System.Net;
            using System.Net.Http;
            using System.Net.Security;
            using System.Security.Authentication;
            using Microsoft.AspNetCore.Authentication.JwtBearer;
            class Clients
            {
                void Run(Stream stream, SslStream ssl, JwtBearerOptions jwt, string authority)
                {
                    var a = new HttpClientHandler
                    {
                        UseCookies = false,
                    };
                    var b = new HttpClientHandler();
                    var s2 = new SslStream(stream, false, null);
                    ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls12;
                    ssl.AuthenticateAsClient("ehr.example.org", null, SslProtocols.None, false);
                    jwt.Authority = authority;
                }
            }
            """ + AuthenticationOptions, "HIPAA109.RemoveOverride");

        [Fact]
        public Task Turns_http_literals_into_https() => VerifyFix.VerifyFixAsync("""
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            class Payer
            {
                async Task Run(HttpClient client, string host)
                {
                    client.BaseAddress = new Uri({|HIPAA109:"http://api.payer.example/"|});
                    await client.GetAsync({|HIPAA109:@"http://api.payer.example/claims"|});
                    await client.PostAsync({|HIPAA109:$"http://{host}/claims"|}, null);
                }
            }
            """, """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            class Payer
            {
                async Task Run(HttpClient client, string host)
                {
                    client.BaseAddress = new Uri("https://api.payer.example/");
                    await client.GetAsync(@"https://api.payer.example/claims");
                    await client.PostAsync($"https://{host}/claims", null);
                }
            }
            """, "HIPAA109.RemoveOverride");

        [Fact]
        public Task Offers_no_fix_for_explicit_ports_constants_or_callbacks_kept_in_variables() => VerifyFix.VerifyNoFixAsync("""
            using System;
            using System.Net.Http;
            using System.Net.Security;
            using System.Threading.Tasks;
            class Payer
            {
                const string Legacy = "http://legacy.example/";
                async Task Run(HttpClient client)
                {
                    await client.GetAsync({|HIPAA109:"http://api.payer.example:8080/claims"|});
                    await client.GetAsync({|HIPAA109:Legacy|});
                    RemoteCertificateValidationCallback accept = {|HIPAA109:(s, c, ch, e) => true|};
                }
            }
            """);
    }
}
