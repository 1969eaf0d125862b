using System;
using HipaaAnalyzers.Runtime;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ClinicApi.Data;

/// <summary>Lab orders as the clinic stores them: PHI columns are encrypted by the application before they are saved.</summary>
public sealed class ClinicDbContext : DbContext
{
    public ClinicDbContext(DbContextOptions<ClinicDbContext> options)
        : base(options)
    {
    }

    public DbSet<LabOrder> LabOrders => Set<LabOrder>();

    public DbSet<PortalAccount> PortalAccounts => Set<PortalAccount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<LabOrder>().HasIndex(o => o.OrderedAt);
}

public sealed class LabOrder
{
    public int Id { get; set; }

    [Encrypted]
    public string MedicalRecordNumber { get; set; } = string.Empty;

    [Encrypted]
    public string Diagnosis { get; set; } = string.Empty;

    public string TestCode { get; set; } = string.Empty;

    public DateTimeOffset OrderedAt { get; set; }
}

/// <summary>A sign-in for the patient portal: only a salted, slow hash of the password is stored.</summary>
public sealed class PortalAccount
{
    private static readonly PasswordHasher<PortalAccount> Hasher = new();

    public int Id { get; set; }

    public string UserName { get; set; } = string.Empty;

    public string PasswordHash { get; set; } = string.Empty;

    public void SetPassword(string password) => PasswordHash = Hasher.HashPassword(this, password);

    public static bool SignIn(PortalAccount account, string submittedPassword) =>
        Hasher.VerifyHashedPassword(account, account.PasswordHash, submittedPassword) != PasswordVerificationResult.Failed;
}
