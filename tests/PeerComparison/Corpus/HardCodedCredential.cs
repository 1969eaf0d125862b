using System;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace PeerComparison.Corpus;

// Category hardcoded-credential: passwords in connection strings, NetworkCredential, password-named members and
// basic-auth headers, next to password labels, prompts, validation messages, reset routes and passwords read from
// configuration.
public sealed class HardCodedCredential
{
    private const string SmtpPassword = "Riverside#Mail2024"; // expect: hardcoded-credential @smtp

    private const string PasswordResetPath = "/account/reset-password"; // safe: hardcoded-credential

    private const string PasswordSetting = "Smtp:Password"; // safe: hardcoded-credential

    private readonly IConfiguration _configuration;

    public HardCodedCredential(IConfiguration configuration) => _configuration = configuration;

    // Vulnerable: the EHR database password in a connection string.
    public static NpgsqlConnection OpenEhrDatabase()
    {
        return new NpgsqlConnection("Host=ehr-db.internal;Database=ehr;Username=ehr_app;Password=Winter2024!"); // expect: hardcoded-credential
    }

    // Vulnerable: a service account for the fax server.
    public static NetworkCredential FaxServerCredential()
    {
        return new NetworkCredential("svc_fax", "Fax$ervice1"); // expect: hardcoded-credential
    }

    // Vulnerable: basic authentication to the claims clearinghouse.
    public static AuthenticationHeaderValue ClearinghouseAuthorization()
    {
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("riverside:Cl3aringH0use!"))); // expect: hardcoded-credential
    }

    // Vulnerable: a password set on a connection string builder.
    public static string ReportingConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder // expect: hardcoded-credential @builder
        {
            Host = "reporting-db.internal",
            Username = "report_reader",
            Password = "r3ports-r3ad0nly", // expect: hardcoded-credential @builder
        };
        return builder.ConnectionString;
    }

    // Vulnerable: a password-named property of the HL7 interface settings.
    public static InterfaceSettings Hl7Interface()
    {
        return new InterfaceSettings { Host = "hl7.riverside-health.org", User = "hl7feed", Password = "feed-2024-hl7" }; // expect: hardcoded-credential
    }

    // Vulnerable: the SMTP password constant in use.
    public static NetworkCredential SmtpCredential()
    {
        return new NetworkCredential("noreply@riverside-health.org", SmtpPassword); // expect: hardcoded-credential @smtp
    }

    // Safe: a label and a prompt.
    public static string LoginPrompt()
    {
        const string passwordLabel = "Password"; // safe: hardcoded-credential
        return passwordLabel + ": ";
    }

    // Safe: a validation message.
    public static string PasswordPolicyMessage()
    {
        return "Password must be at least 12 characters and may not contain your name."; // safe: hardcoded-credential
    }

    // Safe: the link in a password-reset email.
    public static Uri PasswordResetLink(string token)
    {
        return new Uri("https://portal.riverside-health.org" + PasswordResetPath + "?token=" + Uri.EscapeDataString(token)); // safe: hardcoded-credential
    }

    // Safe: the password comes from configuration; the constant is the setting's name.
    public NetworkCredential SmtpFromConfiguration()
    {
        return new NetworkCredential("noreply@riverside-health.org", _configuration[PasswordSetting]); // safe: hardcoded-credential
    }

    // Safe: the connection string from configuration, its password added from a secret store.
    public string ConnectionStringFromConfiguration(string passwordFromVault)
    {
        var builder = new NpgsqlConnectionStringBuilder(_configuration.GetConnectionString("Ehr")) // safe: hardcoded-credential @vault
        {
            Password = passwordFromVault, // safe: hardcoded-credential @vault
        };
        return builder.ConnectionString;
    }

    // Safe: a connection string assembled from configuration; only the key names are literals.
    public string ConnectionStringFromParts()
    {
        return "Host=" + _configuration["Db:Host"] + ";Database=ehr;Username=" + _configuration["Db:User"] + ";Password=" + _configuration["Db:Password"]; // safe: hardcoded-credential
    }

    // Safe: a local development database that uses integrated (peer) authentication.
    public static NpgsqlConnection OpenLocalDatabase()
    {
        return new NpgsqlConnection("Host=localhost;Database=ehr_dev;Username=postgres;Integrated Security=true"); // safe: hardcoded-credential
    }
}

public sealed class InterfaceSettings
{
    public string Host { get; set; }

    public string User { get; set; }

    public string Password { get; set; }
}
