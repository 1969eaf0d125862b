using System;
using System.IO;
using ClinicApi.Catalog;
using ClinicApi.Data;
using ClinicApi.Eligibility;
using ClinicApi.Patients;
using ClinicApi.Records;
using ClinicApi.Reporting;
using HipaaAnalyzers.Runtime;
using HipaaAnalyzers.Runtime.AspNetCore;
using HipaaAnalyzers.Runtime.EntityFrameworkCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddControllers();
builder.Services.AddAuthorization();
builder.Services.AddSingleton<IAuthorizationHandler, RecordsAccessHandler>();

// One authorization policy per permission of roles.json (view:patients, edit:patients, view:records), and an
// audit event for every request to an endpoint marked [AuditPhiAccess] or .AuditPhiAccess().
builder.Services.AddHipaaAccessPoliciesFromFile(
    "roles.json", options => options.TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
builder.Services.AddHipaaAuditFileSink(builder.Configuration["Audit:Path"] ?? "audit/clinic-audit.jsonl");
builder.Services.AddHipaaAudit();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<PatientRepository>();
builder.Services.AddScoped<PatientService>();
builder.Services.AddSingleton<ProductCatalog>();
builder.Services.AddHttpClient<EligibilityClient>(client =>
    client.BaseAddress = new Uri(builder.Configuration["Eligibility:BaseUrl"] ?? "https://eligibility.example.test/"));
builder.Services.AddHostedService<CensusReportJob>();

// Parameter values in EF Core's log and whole requests in the HTTP log only on a developer's machine; the Data
// Protection key ring outside the app and the database, encrypted at rest with a certificate.
builder.Services.AddHipaaEncryption();                      // field encryption keys from HIPAA_ENCRYPTION_KEYS
builder.Services.AddHipaaEntityFrameworkCoreEncryption();
builder.Services.AddDbContext<ClinicDbContext>((provider, options) => options
    .EnableSensitiveDataLogging(builder.Environment.IsDevelopment())
    .UseFieldEncryption(provider));                         // [Encrypted] columns are stored as ciphertext
builder.Services.AddHttpLogging(options => options.LoggingFields =
    HttpLoggingFields.RequestPropertiesAndHeaders | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration);
builder.Services.AddDataProtection()
    .PersistKeysToFileSystem(new DirectoryInfo("/var/clinic/keys"))
    .ProtectKeysWithCertificate(builder.Configuration["DataProtection:CertificateThumbprint"] ?? string.Empty);

var app = builder.Build();

if (app.Environment.IsDevelopment())
{
    app.UseDeveloperExceptionPage();
}

app.UseHttpLogging();

app.UseAuthorization();

app.MapGet("/health", () => "healthy");
app.MapControllers();
app.MapPatientEndpoints();

app.Run();
