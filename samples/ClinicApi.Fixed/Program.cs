using System;
using ClinicApi.Catalog;
using ClinicApi.Eligibility;
using ClinicApi.Patients;
using ClinicApi.Records;
using ClinicApi.Reporting;
using HipaaAnalyzers.Runtime;
using HipaaAnalyzers.Runtime.AspNetCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
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

var app = builder.Build();

app.UseAuthorization();

app.MapGet("/health", () => "healthy");
app.MapControllers();
app.MapPatientEndpoints();

app.Run();
