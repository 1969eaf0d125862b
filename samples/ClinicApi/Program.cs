using System;
using ClinicApi.Catalog;
using ClinicApi.Eligibility;
using ClinicApi.Patients;
using ClinicApi.Reporting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddControllers();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<PatientRepository>();
builder.Services.AddScoped<PatientService>();
builder.Services.AddSingleton<ProductCatalog>();
builder.Services.AddHttpClient<EligibilityClient>(client =>
    client.BaseAddress = new Uri(builder.Configuration["Eligibility:BaseUrl"] ?? "https://eligibility.example.test/"));
builder.Services.AddHostedService<CensusReportJob>();

var app = builder.Build();

app.MapControllers();
app.MapPatientEndpoints();

app.Run();
