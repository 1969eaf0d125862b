using System;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PeerComparison.Corpus;

// Category transport: certificate validation switched off, old TLS versions pinned, http:// to a remote host and
// RequireHttpsMetadata = false, next to loopback URLs, a validation callback that still checks, TLS 1.2/1.3,
// development-only relaxations and http:// identifiers that are names, not addresses (FHIR code systems).
public static class Transport
{
    private const string PinnedThumbprint = "3A5F0C7D9E1B2A4C6D8E0F1A3B5C7D9E1F2A3B4C";

    // Vulnerable: every server certificate accepted.
    public static HttpClient CreatePayerClient()
    {
        var handler = new HttpClientHandler();
        handler.ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) => true; // expect: transport
        return new HttpClient(handler);
    }

    // Vulnerable: the framework's accept-anything validator.
    public static HttpClient CreateLabClient()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator, // expect: transport
        };
        return new HttpClient(handler);
    }

    // Vulnerable: process-wide validation switched off.
    public static void TrustEveryServer()
    {
        ServicePointManager.ServerCertificateValidationCallback += (sender, certificate, chain, errors) => true; // expect: transport
    }

    // Vulnerable: TLS 1.0 and 1.1 pinned for a pharmacy gateway.
    public static HttpClient CreatePharmacyClient()
    {
        var handler = new HttpClientHandler { SslProtocols = SslProtocols.Tls | SslProtocols.Tls11 }; // expect: transport
        return new HttpClient(handler);
    }

    // Vulnerable: process-wide TLS 1.0.
    public static void UseLegacyTls()
    {
        ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls; // expect: transport
    }

    // Vulnerable: a FHIR server reached over plain HTTP.
    public static HttpClient CreateFhirClient()
    {
        return new HttpClient { BaseAddress = new Uri("http://fhir.riverside-health.org/r4/") }; // expect: transport
    }

    // Vulnerable: the JWT authority's metadata may be fetched over HTTP (the authority is configured, HTTPS not required).
    public static void AddPortalAuthentication(IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.Authority = Environment.GetEnvironmentVariable("PORTAL_AUTHORITY");
            options.RequireHttpsMetadata = false; // expect: transport
        });
    }

    // Safe: the sidecar on loopback during local development.
    public static HttpClient CreateSidecarClient()
    {
        return new HttpClient { BaseAddress = new Uri("http://localhost:5080/") }; // safe: transport
    }

    // Safe: a validation callback that accepts only a valid chain or the pinned partner certificate.
    public static HttpClient CreatePinnedClient()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (message, certificate, chain, errors) =>
                errors == SslPolicyErrors.None || certificate?.Thumbprint == PinnedThumbprint, // safe: transport
        };
        return new HttpClient(handler);
    }

    // Safe: TLS 1.2 and 1.3 only.
    public static HttpClient CreateModernTlsClient()
    {
        var handler = new HttpClientHandler { SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 }; // safe: transport
        return new HttpClient(handler);
    }

    // Safe: HTTPS metadata relaxed only in the Development environment.
    public static void AddDevelopmentAuthentication(IServiceCollection services, IHostEnvironment environment)
    {
        services.AddAuthentication().AddJwtBearer(options =>
        {
            options.RequireHttpsMetadata = !environment.IsDevelopment(); // safe: transport
        });
    }

    // Safe: upgrades a partner's configured callback URL to HTTPS.
    public static Uri UpgradeToHttps(string configuredUrl)
    {
        if (configuredUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) // safe: transport @upgrade
        {
            configuredUrl = "https://" + configuredUrl.Substring("http://".Length); // safe: transport @upgrade
        }

        return new Uri(configuredUrl);
    }

    // Safe: FHIR code-system and identifier-system URIs are names, never fetched.
    public static string[] CodeSystems()
    {
        return new[] { "http://loinc.org", "http://snomed.info/sct", "http://hl7.org/fhir/sid/us-ssn" }; // safe: transport
    }
}
