using ClinicWeb.Data;
using ClinicWeb.Security;
using ClinicWeb.Services;
using HipaaAnalyzers.Runtime;
using HipaaAnalyzers.Runtime.EntityFrameworkCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);

// Add services to the container.

builder.Services.AddControllers();
// Learn more about configuring OpenAPI at https://aka.ms/aspnet/openapi
builder.Services.AddOpenApi();

// The clinic's gateway signs users in and forwards who they are.
builder.Services.AddAuthentication(GatewayAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, GatewayAuthenticationHandler>(GatewayAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorization();

// HipaaAnalyzers.Runtime.EntityFrameworkCore, set up as its documentation shows: properties marked [Encrypted] are
// stored as ciphertext, with the keys in HIPAA_ENCRYPTION_KEYS.
builder.Services.AddHipaaEncryption();
builder.Services.AddHipaaEntityFrameworkCoreEncryption();
builder.Services.AddDbContext<ClinicDbContext>((services, options) => options
    .UseSqlite(builder.Configuration.GetConnectionString("Clinic") ?? "Data Source=clinic.db")
    .UseFieldEncryption(services)
    .EnableSensitiveDataLogging());
builder.Services.AddScoped<LabResultsRepository>();
builder.Services.AddSingleton<DocumentProtector>();
builder.Services.AddHttpClient<EligibilityClient>();

// Every request and response in the log, for support.
builder.Services.AddHttpLogging(options => options.LoggingFields = HttpLoggingFields.All);

var app = builder.Build();

using (var scope = app.Services.CreateScope())
{
    scope.ServiceProvider.GetRequiredService<ClinicDbContext>().Database.EnsureCreated();
}

// Configure the HTTP request pipeline.
if (app.Environment.IsDevelopment())
{
    app.MapOpenApi();
}

app.UseDeveloperExceptionPage();
app.UseHttpLogging();

app.UseHttpsRedirection();

app.UseAuthentication();
app.UseAuthorization();

app.MapControllers();

app.Run();
