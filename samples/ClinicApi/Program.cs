using System;
using System.IO;
using ClinicApi.Catalog;
using ClinicApi.Data;
using ClinicApi.Eligibility;
using ClinicApi.Patients;
using ClinicApi.Records;
using ClinicApi.Reporting;
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
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<PatientRepository>();
builder.Services.AddScoped<PatientService>();
builder.Services.AddSingleton<ProductCatalog>();
builder.Services.AddHttpClient<EligibilityClient>(client =>
    client.BaseAddress = new Uri(builder.Configuration["Eligibility:BaseUrl"] ?? "https://eligibility.example.test/"));
builder.Services.AddHostedService<CensusReportJob>();
builder.Services.AddDbContext<ClinicDbContext>(options => options.EnableSensitiveDataLogging()); // HIPAA006
builder.Services.AddHttpLogging(options => options.LoggingFields = HttpLoggingFields.All); // HIPAA006
builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo("/var/clinic/keys")); // HIPAA204

var app = builder.Build();

app.UseDeveloperExceptionPage(); // HIPAA006
app.UseHttpLogging(); // compliant

if (!app.Environment.IsDevelopment()) // HIPAA304
{
    app.UseAuthorization();
}

app.MapGet("/health", () => "healthy"); // compliant
app.MapControllers();
app.MapPatientEndpoints();

app.Run();
