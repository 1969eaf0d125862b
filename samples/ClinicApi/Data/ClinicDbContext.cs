using System;
using Microsoft.EntityFrameworkCore;

namespace ClinicApi.Data;

/// <summary>Lab orders as the clinic stores them: every column in plain text.</summary>
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
    public Guid Id { get; set; } // compliant

    public string MedicalRecordNumber { get; set; } = string.Empty; // HIPAA005

    public string Diagnosis { get; set; } = string.Empty; // HIPAA005

    public string TestCode { get; set; } = string.Empty; // compliant

    public DateTimeOffset OrderedAt { get; set; } // compliant
}

/// <summary>A sign-in for the patient portal, with the password kept as typed.</summary>
public sealed class PortalAccount
{
    public int Id { get; set; } // compliant

    public string UserName { get; set; } = string.Empty; // compliant

    public string Password { get; set; } = string.Empty; // HIPAA205

    public static bool SignIn(PortalAccount account, string submittedPassword) =>
        account.Password == submittedPassword; // HIPAA205
}
