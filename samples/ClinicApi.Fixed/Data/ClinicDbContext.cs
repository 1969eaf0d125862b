using System;
using HipaaAnalyzers.Runtime;
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
