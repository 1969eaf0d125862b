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

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<LabOrder>().HasIndex(o => o.OrderedAt);
}

public sealed class LabOrder
{
    public int Id { get; set; } // compliant

    public string MedicalRecordNumber { get; set; } = string.Empty; // HIPAA005

    public string Diagnosis { get; set; } = string.Empty; // HIPAA005

    public string TestCode { get; set; } = string.Empty; // compliant

    public DateTimeOffset OrderedAt { get; set; } // compliant
}
