using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA204KeysStoredBesidePhiAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>Key material kept in, or read from, the database that stores PHI.</summary>
public partial class HIPAA204KeysStoredBesidePhiTests
{
    /// <summary>A clinic database with PHI and a settings table, a key table beside PHI, and a key database without PHI.</summary>
    private const string KeyTables = """

        namespace Clinic.Keys
        {
            using Microsoft.EntityFrameworkCore;

            public class Setting { public int Id { get; set; } public string Name { get; set; } = ""; public string Value { get; set; } = ""; }
            public class KeyMaterial { public int Id { get; set; } public byte[] Bytes { get; set; } = System.Array.Empty<byte>(); }
            public class MasterKey { public int Id { get; set; } public string Material { get; set; } = ""; }
            public class ApiKey { public int Id { get; set; } public string Client { get; set; } = ""; public string Hash { get; set; } = ""; }

            public class RecordsDb : DbContext
            {
                public DbSet<Clinic.Patient> Patients => Set<Clinic.Patient>();
                public DbSet<Setting> Settings => Set<Setting>();
                public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
            }

            public class VaultDb : DbContext
            {
                public DbSet<MasterKey> MasterKeys => Set<MasterKey>();
                public DbSet<Setting> Settings => Set<Setting>();
            }
        }
        """;

    [Fact]
    public Task Reports_key_material_for_the_runtime_and_data_protection_read_from_a_database_that_stores_phi() => Verify.VerifyAsync("""
        using System;
        using System.IO;
        using System.Linq;
        using System.Security.Cryptography.X509Certificates;
        using HipaaAnalyzers.Runtime;
        using Microsoft.AspNetCore.DataProtection;
        using Microsoft.Extensions.DependencyInjection;
        using Clinic.Keys;

        public static class Keys
        {
            public static void MasterKeyFromSettings(IServiceCollection services) =>
                services.AddSingleton<IMasterKey>(sp =>
                {
                    var db = sp.GetRequiredService<RecordsDb>();
                    var row = db.Settings.Single(s => s.Name == "MasterKey");
                    return new LocalMasterKey({|#0:Convert.FromBase64String(row.Value)|});
                });

            public static KeyRing Ring(RecordsDb db, IMasterKey master) =>
                KeyRingFile.Parse({|#1:db.Set<KeyMaterial>().Single().Bytes|}, master);

            public static DataKey Data(RecordsDb db) =>
                DataKey.FromBytes("orders-1", KeyPurpose.Encryption, {|#2:db.Set<KeyMaterial>().First().Bytes|});

            public static void Certificate(IServiceCollection services, RecordsDb db)
            {
                var pfx = db.Set<KeyMaterial>().First(k => k.Id == 7);
                services.AddDataProtection()
                    .PersistKeysToFileSystem(new DirectoryInfo("/var/keys"))
                    .ProtectKeysWithCertificate({|#3:X509CertificateLoader.LoadPkcs12(pfx.Bytes, null)|});
            }
        }
        """ + Packages + KeyTables,
        Verify.Diagnostic("HIPAA204").WithLocation(0).WithArguments(
            "The master key is read from 'RecordsDb', the database that also stores PHI (Patient.Ssn): one breach yields the keys with the data they protect; keep it in a key store or a database of its own"),
        Verify.Diagnostic("HIPAA204").WithLocation(1).WithArguments(
            "The key ring is read from 'RecordsDb', the database that also stores PHI (Patient.Ssn): one breach yields the keys with the data they protect; keep it in a key store or a database of its own"),
        Verify.Diagnostic("HIPAA204").WithLocation(2).WithArguments(
            "The data key is read from 'RecordsDb', the database that also stores PHI (Patient.Ssn): one breach yields the keys with the data they protect; keep it in a key store or a database of its own"),
        Verify.Diagnostic("HIPAA204").WithLocation(3).WithArguments(
            "The certificate that protects the Data Protection keys is read from 'RecordsDb', the database that also stores PHI (Patient.Ssn): one breach yields the keys with the data they protect; keep it in a key store or a database of its own"));

    [Fact]
    public Task Leaves_key_material_from_a_database_without_phi_configuration_or_the_environment_alone() => Verify.VerifyAsync("""
        using System;
        using System.Linq;
        using HipaaAnalyzers.Runtime;
        using Microsoft.Extensions.Configuration;
        using Clinic.Keys;

        public static class Keys
        {
            public static LocalMasterKey FromVault(VaultDb vault) => new LocalMasterKey(Convert.FromBase64String(vault.MasterKeys.Single().Material));

            public static LocalMasterKey FromVaultSettings(VaultDb vault) =>
                new LocalMasterKey(Convert.FromBase64String(vault.Settings.Single(s => s.Name == "MasterKey").Value));

            public static LocalMasterKey FromConfiguration(IConfiguration configuration) => new LocalMasterKey(Convert.FromBase64String(configuration["MasterKey"]!));

            public static LocalMasterKey FromEnvironment() => LocalMasterKey.FromEnvironment();

            public static DataKey Generated(RecordsDb db) =>
                DataKey.FromBytes("orders-" + db.Patients.Count(), KeyPurpose.Encryption, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }
        """ + Packages + KeyTables);

    [Fact]
    public Task Reports_a_key_table_on_a_database_that_stores_phi_once_where_it_is_declared() => Verify.VerifyAsync("""
        using System;
        using System.Linq;
        using HipaaAnalyzers.Runtime;
        using Microsoft.EntityFrameworkCore;
        using Clinic.Keys;

        public class PortalDb : DbContext
        {
            public DbSet<Clinic.Patient> Patients => Set<Clinic.Patient>();
            public DbSet<MasterKey> {|#0:MasterKeys|} => Set<MasterKey>();
            public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
            public DbSet<Clinic.DataProtectionKey> DataProtectionKeys => Set<Clinic.DataProtectionKey>();

            public LocalMasterKey Master() => new LocalMasterKey(Convert.FromBase64String(MasterKeys.Single().Material));
        }

        public class KeysOnlyDb : DbContext
        {
            public DbSet<MasterKey> MasterKeys => Set<MasterKey>();
        }
        """ + Packages + KeyTables,
        Verify.Diagnostic("HIPAA204").WithLocation(0).WithArguments(
            "'PortalDb.MasterKeys' keeps key material ('MasterKey') in the database that also stores PHI (Patient.Ssn): one breach yields the keys with the data they protect; keep keys in a key store or a database of their own"));

    [Fact]
    public Task Reports_a_data_protection_xml_repository_that_keeps_the_key_ring_in_the_phi_database() => Verify.VerifyAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Xml.Linq;
        using Microsoft.AspNetCore.DataProtection.Repositories;
        using Microsoft.EntityFrameworkCore;
        using Clinic.Keys;

        public class {|#0:RecordsXmlRepository|} : IXmlRepository
        {
            private readonly IDbContextFactory<RecordsDb> _factory;

            public RecordsXmlRepository(IDbContextFactory<RecordsDb> factory) => _factory = factory;

            public IReadOnlyCollection<XElement> GetAllElements()
            {
                using var db = _factory.CreateDbContext();
                return db.Settings.Where(s => s.Name == "dp-key").AsEnumerable().Select(s => XElement.Parse(s.Value)).ToList();
            }

            public void StoreElement(XElement element, string friendlyName)
            {
                using var db = _factory.CreateDbContext();
                db.Settings.Add(new Setting { Name = "dp-key", Value = element.ToString() });
                db.SaveChanges();
            }
        }

        public class VaultXmlRepository(VaultDb vault) : IXmlRepository
        {
            public IReadOnlyCollection<XElement> GetAllElements() => vault.Settings.AsEnumerable().Select(s => XElement.Parse(s.Value)).ToList();

            public void StoreElement(XElement element, string friendlyName) => vault.Settings.Add(new Setting { Value = element.ToString() });
        }
        """ + Packages + KeyTables,
        Verify.Diagnostic("HIPAA204").WithLocation(0).WithArguments(
            "'RecordsXmlRepository' keeps the Data Protection key ring in 'RecordsDb', the database that also stores PHI (Patient.Ssn): one breach yields the keys with the data they protect"));
}
