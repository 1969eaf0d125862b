using ClinicWeb.Data;
using ClinicWeb.Security;
using ClinicWeb.Services;
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

builder.Services.AddDbContext<ClinicDbContext>(options => options
    .UseSqlite(builder.Configuration.GetConnectionString("Clinic") ?? "Data Source=clinic.db")
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
