using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HipaaAnalyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA205PlaintextPasswordAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA205PlaintextPasswordFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA205PlaintextPasswordTests
{
    /// <summary>
    /// The code fix: the property becomes a PasswordHasher&lt;T&gt; hash in its old column, assignments hash and
    /// comparisons verify, in every document; the fixed code compiles and HIPAA205 no longer reports it.
    /// </summary>
    public class Fixes
    {
        private const string Key = "HIPAA205.UsePasswordHasher";

        private const string Entity = """
            #nullable enable
            using Microsoft.EntityFrameworkCore;

            namespace Portal
            {
                public class PortalUser
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    public string {|HIPAA205:Password|} { get; set; } = "";
                }

                public class PortalDb : DbContext
                {
                    public DbSet<PortalUser> Users => Set<PortalUser>();
                }
            }
            """;

        private const string FixedEntity = """
            #nullable enable
            using System.ComponentModel.DataAnnotations.Schema;
            using Microsoft.EntityFrameworkCore;

            namespace Portal
            {
                public class PortalUser
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    [Column("Password")]
                    public string PasswordHash { get; set; } = "";
                }

                public class PortalDb : DbContext
                {
                    public DbSet<PortalUser> Users => Set<PortalUser>();
                }
            }
            """;

        /// <summary>The entity after the fix, in a document that also verifies (the hasher's using added at the top).</summary>
        private const string FixedEntityWithIdentity = """
            #nullable enable
            using System.ComponentModel.DataAnnotations.Schema;
            using Microsoft.AspNetCore.Identity;
            using Microsoft.EntityFrameworkCore;

            namespace Portal
            {
                public class PortalUser
                {
                    public int Id { get; set; }
                    public string Email { get; set; } = "";
                    [Column("Password")]
                    public string PasswordHash { get; set; } = "";
                }

                public class PortalDb : DbContext
                {
                    public DbSet<PortalUser> Users => Set<PortalUser>();
                }
            }
            """;

        [Fact]
        public async Task Offers_storing_a_hash_on_the_property_and_on_the_comparison()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(Markup.Unmarked(Entity) + """

                namespace Portal
                {
                    public static class Accounts
                    {
                        public static bool SignIn(PortalUser user, string submitted) => user.Password == submitted;
                    }
                }
                """);

            var fix = ("Store a PasswordHasher<PortalUser> hash in 'PortalUser.PasswordHash' and verify against it", (string?)Key);
            Assert.Equal(new[] { fix, fix }, offered);
        }

        [Fact]
        public Task Comparisons_with_equality_operators_Equals_and_Compare_verify_the_hash() => VerifyFix.VerifyFixAsync(Entity + """

            namespace Portal
            {
                using System;

                public class Accounts
                {
                    public bool SignIn(PortalUser user, string submitted)
                    {
                        if ({|HIPAA205:user.Password != submitted|}) return false;
                        if (!{|HIPAA205:user.Password.Equals(submitted)|}) return false;
                        if ({|HIPAA205:Find(user)!.Password == submitted|}) return true;
                        return {|HIPAA205:user.Password == submitted|} ||
                            {|HIPAA205:string.Equals(submitted, user.Password, StringComparison.Ordinal)|} ||
                            {|HIPAA205:string.Compare(user.Password, submitted)|} == 0;
                    }

                    public bool HasPassword(PortalUser user) => user.Password != "" && user.Password != null;

                    private static PortalUser? Find(PortalUser user) => user;
                }
            }
            """, FixedEntityWithIdentity + """

            namespace Portal
            {
                using System;

                public class Accounts
                {
                    public bool SignIn(PortalUser user, string submitted)
                    {
                        if (new PasswordHasher<PortalUser>().VerifyHashedPassword(user, user.PasswordHash, submitted) == PasswordVerificationResult.Failed) return false;
                        if (!(new PasswordHasher<PortalUser>().VerifyHashedPassword(user, user.PasswordHash, submitted) != PasswordVerificationResult.Failed)) return false;
                        if (new PasswordHasher<PortalUser>().VerifyHashedPassword(null!, Find(user)!.PasswordHash, submitted) != PasswordVerificationResult.Failed) return true;
                        return new PasswordHasher<PortalUser>().VerifyHashedPassword(user, user.PasswordHash, submitted) != PasswordVerificationResult.Failed ||
                            new PasswordHasher<PortalUser>().VerifyHashedPassword(user, user.PasswordHash, submitted) != PasswordVerificationResult.Failed ||
                            new PasswordHasher<PortalUser>().VerifyHashedPassword(user, user.PasswordHash, submitted) != PasswordVerificationResult.Failed;
                    }

                    public bool HasPassword(PortalUser user) => user.PasswordHash != "" && user.PasswordHash != null;

                    private static PortalUser? Find(PortalUser user) => user;
                }
            }
            """);

        [Fact]
        public Task The_property_fix_hashes_assignments_and_verifies_comparisons_in_other_documents()
        {
            var test = Test(
                new[]
                {
                    Entity,
                    """
                    #nullable enable
                    namespace Portal
                    {
                        public class Registration
                        {
                            public void Register(PortalDb db, PortalUser user, string password)
                            {
                                user.Password = password;
                                db.Users.Add(user);
                            }

                            public void Change(PortalUser user, ChangeRequest request) => user.Password = request.NewPassword;
                        }

                        public class ChangeRequest
                        {
                            public string NewPassword { get; set; } = "";
                        }
                    }
                    """,
                    """
                    #nullable enable
                    namespace Portal
                    {
                        public class SignIn
                        {
                            public bool Check(PortalUser user, string submitted) => {|HIPAA205:submitted == user.Password|};
                        }
                    }
                    """,
                },
                new[]
                {
                    FixedEntity,
                    """
                    #nullable enable
                    using Microsoft.AspNetCore.Identity;

                    namespace Portal
                    {
                        public class Registration
                        {
                            public void Register(PortalDb db, PortalUser user, string password)
                            {
                                user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, password);
                                db.Users.Add(user);
                            }

                            public void Change(PortalUser user, ChangeRequest request) => user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, request.NewPassword);
                        }

                        public class ChangeRequest
                        {
                            public string NewPassword { get; set; } = "";
                        }
                    }
                    """,
                    """
                    #nullable enable
                    using Microsoft.AspNetCore.Identity;

                    namespace Portal
                    {
                        public class SignIn
                        {
                            public bool Check(PortalUser user, string submitted) => new PasswordHasher<PortalUser>().VerifyHashedPassword(user, user.PasswordHash, submitted) != PasswordVerificationResult.Failed;
                        }
                    }
                    """,
                });

            // Fix All in one document changes the others too; the test library counts it as one more iteration.
            test.NumberOfFixAllInDocumentIterations = 1;
            return test.RunAsync(CancellationToken.None);
        }

        [Fact]
        public Task Object_initializers_hash_with_no_user_and_values_that_are_not_passwords_stay() => VerifyFix.VerifyFixAsync(Entity + """

            namespace Portal
            {
                public class Invitations
                {
                    public PortalUser Register(string email, string password) => new PortalUser { Email = email, Password = password };

                    public PortalUser Invite(string email) => new PortalUser { Email = email, Password = "" };

                    public void Reset(PortalUser user) => user.Password = string.Empty;

                    public void Import(PortalUser user, LegacyRow row) => user.Password = row.PasswordHash;

                    public void Copy(PortalUser from, PortalUser to) => to.Password = from.Password;

                    public void Set(PortalUser user, string? password) => user.Password = password!;

                    public void SetOrClear(PortalUser user, string? password) => user.Password = password ?? "";

                    public void Maybe(PortalUser user, LegacyRow row) => user.Password = row.Optional;
                }

                public class LegacyRow
                {
                    public string PasswordHash { get; set; } = "";
                    public string? Optional { get; set; }
                }
            }
            """, FixedEntityWithIdentity + """

            namespace Portal
            {
                public class Invitations
                {
                    public PortalUser Register(string email, string password) => new PortalUser { Email = email, PasswordHash = new PasswordHasher<PortalUser>().HashPassword(null!, password) };

                    public PortalUser Invite(string email) => new PortalUser { Email = email, PasswordHash = "" };

                    public void Reset(PortalUser user) => user.PasswordHash = string.Empty;

                    public void Import(PortalUser user, LegacyRow row) => user.PasswordHash = row.PasswordHash;

                    public void Copy(PortalUser from, PortalUser to) => to.PasswordHash = from.PasswordHash;

                    public void Set(PortalUser user, string? password) => user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, password!);

                    public void SetOrClear(PortalUser user, string? password) => user.PasswordHash = new PasswordHasher<PortalUser>().HashPassword(user, password ?? "");

                    public void Maybe(PortalUser user, LegacyRow row) => user.PasswordHash = row.Optional is null ? null : new PasswordHasher<PortalUser>().HashPassword(user, row.Optional);
                }

                public class LegacyRow
                {
                    public string PasswordHash { get; set; } = "";
                    public string? Optional { get; set; }
                }
            }
            """);

        [Fact]
        public Task Simple_queries_translated_to_sql_load_by_the_other_condition_and_verify_in_memory()
        {
            var test = Test(
                new[]
                {
                    Entity,
                    """
                    #nullable enable
                    using System.Linq;

                    namespace Portal
                    {
                        public class Lookups
                        {
                            public bool Exists(PortalDb db, string email, string password) =>
                                db.Users.Any(u => u.Email == email && {|HIPAA205:u.Password == password|});

                            public int Count(PortalDb db, string email, string password) =>
                                db.Users.Count(u => ({|HIPAA205:u.Password != password|}) && u.Email == email && u.Id > 0);
                        }
                    }
                    """,
                    """
                    #nullable enable
                    using System.Threading;
                    using System.Threading.Tasks;
                    using Microsoft.EntityFrameworkCore;

                    namespace Portal
                    {
                        public class AsyncLookups
                        {
                            public async Task<PortalUser?> FindAsync(PortalDb db, string email, string password, CancellationToken cancellationToken) =>
                                await db.Users.SingleOrDefaultAsync(u => {|HIPAA205:u.Password == password|} && u.Email == email, cancellationToken);

                            public async Task<PortalUser?> FirstAsync(PortalDb db, string email, string password) =>
                                await db.Users.FirstOrDefaultAsync(x => x.Email == email && {|HIPAA205:x.Password.Equals(password)|}).ConfigureAwait(false);
                        }
                    }
                    """,
                },
                new[]
                {
                    FixedEntity,
                    """
                    #nullable enable
                    using System.Linq;
                    using Microsoft.AspNetCore.Identity;

                    namespace Portal
                    {
                        public class Lookups
                        {
                            public bool Exists(PortalDb db, string email, string password) =>
                                db.Users.Where(u => u.Email == email).AsEnumerable().Any(u => new PasswordHasher<PortalUser>().VerifyHashedPassword(u, u.PasswordHash, password) != PasswordVerificationResult.Failed);

                            public int Count(PortalDb db, string email, string password) =>
                                db.Users.Where(u => u.Email == email && u.Id > 0).AsEnumerable().Count(u => new PasswordHasher<PortalUser>().VerifyHashedPassword(u, u.PasswordHash, password) == PasswordVerificationResult.Failed);
                        }
                    }
                    """,
                    """
                    #nullable enable
                    using System.Linq;
                    using System.Threading;
                    using System.Threading.Tasks;
                    using Microsoft.AspNetCore.Identity;
                    using Microsoft.EntityFrameworkCore;

                    namespace Portal
                    {
                        public class AsyncLookups
                        {
                            public async Task<PortalUser?> FindAsync(PortalDb db, string email, string password, CancellationToken cancellationToken) =>
                                (await db.Users.Where(u => u.Email == email).ToListAsync(cancellationToken)).SingleOrDefault(u => new PasswordHasher<PortalUser>().VerifyHashedPassword(u, u.PasswordHash, password) != PasswordVerificationResult.Failed);

                            public async Task<PortalUser?> FirstAsync(PortalDb db, string email, string password) =>
                                (await db.Users.Where(x => x.Email == email).ToListAsync().ConfigureAwait(false)).FirstOrDefault(x => new PasswordHasher<PortalUser>().VerifyHashedPassword(x, x.PasswordHash, password) != PasswordVerificationResult.Failed);
                        }
                    }
                    """,
                });
            test.NumberOfFixAllInDocumentIterations = 1;
            return test.RunAsync(CancellationToken.None);
        }

        [Theory]
        [InlineData("db.Users.Any(u => {|HIPAA205:u.Password == password|})")]
        [InlineData("db.Users.Where(u => u.Email == email && {|HIPAA205:u.Password == password|}).Any()")]
        [InlineData("db.Users.Any(u => u.Email == email || {|HIPAA205:u.Password == password|})")]
        [InlineData("db.Users.Any(u => u.Email.StartsWith(email) && {|HIPAA205:u.Password == password|})")]
        public Task Offers_no_fix_for_other_queries_translated_to_sql(string query) => VerifyFix.VerifyNoFixAsync(Entity + $$"""

            namespace Portal
            {
                using System.Linq;

                public class Lookups
                {
                    public bool Exists(PortalDb db, string email, string password) => {{query}};
                }
            }
            """);

        [Theory]
        [InlineData("{|HIPAA205:string.Compare(user.Password, submitted)|} < 0")]
        [InlineData("System.StringComparer.Ordinal.Equals(user.Password, submitted)")]
        [InlineData("user.Password is \"admin\"")]
        [InlineData("user?.Password == submitted")]
        public Task Offers_no_fix_when_a_use_of_the_password_cannot_be_rewritten(string use) => VerifyFix.VerifyNoFixAsync(Entity + $$"""

            namespace Portal
            {
                public class Accounts
                {
                    public bool Check(PortalUser user, string submitted) => {{use}};

                    private static PortalUser? Find(PortalUser user) => user;
                }
            }
            """);

        [Theory]
        [InlineData("[System.ComponentModel.DataAnnotations.MaxLength(50)]", "")]
        [InlineData("[System.ComponentModel.DataAnnotations.Schema.Column(TypeName = \"varchar(64)\")]", "")]
        [InlineData("", "protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<StaffAccount>().Property(s => s.Password).IsRequired().HasMaxLength(64);")]
        [InlineData("", "")]
        [InlineData("", "public void Seed() { }", " = \"changeme\";")]
        public Task Offers_no_fix_when_the_column_is_too_short_for_a_hash_a_constructor_takes_the_password_or_it_has_a_default(
            string attribute, string configuration, string initializer = " = \"\";") =>
            VerifyFix.VerifyNoFixAsync($$"""
                #nullable enable
                using Microsoft.EntityFrameworkCore;

                public class StaffAccount
                {
                    {{(attribute.Length == 0 && configuration.Length == 0 ? "public StaffAccount(string password) => Password = password;" : "")}}
                    public int Id { get; set; }
                    {{attribute}}
                    public string {|HIPAA205:Password|} { get; set; }{{initializer}}
                }

                public class StaffDb : DbContext
                {
                    public DbSet<StaffAccount> Staff => Set<StaffAccount>();
                    {{configuration}}
                }
                """);

        [Fact]
        public Task Offers_no_fix_without_ASP_NET_Core_Identity()
        {
            var source = Entity + """

                    namespace Portal
                    {
                        public static class Accounts
                        {
                            public static bool SignIn(PortalUser user, string submitted) => {|HIPAA205:user.Password == submitted|};
                        }
                    }
                    """;
            var test = new CSharpCodeFixTest<HipaaAnalyzers.Rules.HIPAA205PlaintextPasswordAnalyzer, HipaaAnalyzers.CodeFixes.Rules.HIPAA205PlaintextPasswordFixer, DefaultVerifier>
            {
                TestCode = source,
                FixedCode = source,
                ReferenceAssemblies = TestReferences.Net10WithLoggers,
            };

            // The same references without Microsoft.Extensions.Identity.Core, where PasswordHasher<TUser> lives.
            test.SolutionTransforms.Add((solution, projectId) =>
            {
                var project = solution.GetProject(projectId)!;
                var identity = project.MetadataReferences
                    .Where(r => Path.GetFileName(r.Display ?? "").StartsWith("Microsoft.Extensions.Identity", System.StringComparison.Ordinal))
                    .ToList();
                Assert.NotEmpty(identity);
                return solution.WithProjectMetadataReferences(projectId, project.MetadataReferences.Except(identity));
            });
            return test.RunAsync(CancellationToken.None);
        }

        [Fact]
        public Task Code_without_nullable_annotations_guards_against_null_passwords() => VerifyFix.VerifyFixAsync("""
            using Microsoft.EntityFrameworkCore;

            public class Member
            {
                public int Id { get; set; }
                public string {|HIPAA205:Pwd|} { get; set; }

                public bool Check(string submitted) => {|HIPAA205:Pwd == submitted|};

                public void Change(string password) => Pwd = password;
            }

            public class Club : DbContext
            {
                public DbSet<Member> Members { get; set; }

                public bool Any(string submitted) => System.Linq.Enumerable.Any(Members.Local, m => m.Id > 0 && !{|HIPAA205:m.Pwd.Equals(submitted)|});
            }
            """, """
            using System.ComponentModel.DataAnnotations.Schema;
            using Microsoft.AspNetCore.Identity;
            using Microsoft.EntityFrameworkCore;

            public class Member
            {
                public int Id { get; set; }
                [Column("Pwd")]
                public string PwdHash { get; set; }

                public bool Check(string submitted) => PwdHash != null && new PasswordHasher<Member>().VerifyHashedPassword(this, PwdHash, submitted ?? "") != PasswordVerificationResult.Failed;

                public void Change(string password) => PwdHash = new PasswordHasher<Member>().HashPassword(this, password);
            }

            public class Club : DbContext
            {
                public DbSet<Member> Members { get; set; }

                public bool Any(string submitted) => System.Linq.Enumerable.Any(Members.Local, m => m.Id > 0 && !(m.PwdHash != null && new PasswordHasher<Member>().VerifyHashedPassword(m, m.PwdHash, submitted ?? "") != PasswordVerificationResult.Failed));
            }
            """);

        [Fact]
        public Task A_constructor_hashes_with_this_when_EF_Core_has_another_constructor_to_use() => VerifyFix.VerifyFixAsync("""
            #nullable enable
            using Microsoft.EntityFrameworkCore;

            public class Clinician
            {
                public static readonly Clinician Demo = new Clinician { Login = "demo", Password = DemoPassword() };

                private Clinician()
                {
                }

                public Clinician(string login, string password)
                {
                    Login = login;
                    this.Password = password;
                }

                public int Id { get; set; }
                public string Login { get; set; } = "";
                public string {|HIPAA205:Password|} { get; set; } = "";

                private static string DemoPassword() => System.Environment.GetEnvironmentVariable("DEMO_PASSWORD") ?? "";
            }

            public class ClinicDb : DbContext
            {
                public DbSet<Clinician> Clinicians => Set<Clinician>();
            }
            """, """
            #nullable enable
            using System.ComponentModel.DataAnnotations.Schema;
            using Microsoft.AspNetCore.Identity;
            using Microsoft.EntityFrameworkCore;

            public class Clinician
            {
                public static readonly Clinician Demo = new Clinician { Login = "demo", PasswordHash = new PasswordHasher<Clinician>().HashPassword(null!, DemoPassword()) };

                private Clinician()
                {
                }

                public Clinician(string login, string password)
                {
                    Login = login;
                    this.PasswordHash = new PasswordHasher<Clinician>().HashPassword(this, password);
                }

                public int Id { get; set; }
                public string Login { get; set; } = "";
                [Column("Password")]
                public string PasswordHash { get; set; } = "";

                private static string DemoPassword() => System.Environment.GetEnvironmentVariable("DEMO_PASSWORD") ?? "";
            }

            public class ClinicDb : DbContext
            {
                public DbSet<Clinician> Clinicians => Set<Clinician>();
            }
            """);

        [Fact]
        public Task Fix_all_changes_each_password_property_once_and_avoids_names_already_taken()
        {
            const string Source = """
                #nullable enable
                using Microsoft.EntityFrameworkCore;

                public class StaffAccount
                {
                    public int Id { get; set; }
                    public string {|HIPAA205:LoginPwd|} { get; set; } = "";
                    public string PasswordHash { get; set; } = "";
                    public string {|HIPAA205:Password|} { get; set; } = "";

                    public bool SignIn(string pwd, string password) => {|HIPAA205:LoginPwd == pwd|} && {|HIPAA205:Password == password|};
                }

                public class Patient
                {
                    public int Id { get; set; }
                    public string {|HIPAA205:PortalPassword|} { get; set; } = "";
                }

                public class ClinicDb : DbContext
                {
                    public DbSet<StaffAccount> Staff => Set<StaffAccount>();
                    public DbSet<Patient> Patients => Set<Patient>();

                    public void Enroll(Patient patient, string password) => patient.PortalPassword = password;
                }
                """;
            const string Fixed = """
                #nullable enable
                using System.ComponentModel.DataAnnotations.Schema;
                using Microsoft.AspNetCore.Identity;
                using Microsoft.EntityFrameworkCore;

                public class StaffAccount
                {
                    public int Id { get; set; }
                    [Column("LoginPwd")]
                    public string LoginPwdHash { get; set; } = "";
                    public string PasswordHash { get; set; } = "";
                    [Column("Password")]
                    public string HashedPassword { get; set; } = "";

                    public bool SignIn(string pwd, string password) => new PasswordHasher<StaffAccount>().VerifyHashedPassword(this, LoginPwdHash, pwd) != PasswordVerificationResult.Failed && new PasswordHasher<StaffAccount>().VerifyHashedPassword(this, HashedPassword, password) != PasswordVerificationResult.Failed;
                }

                public class Patient
                {
                    public int Id { get; set; }
                    [Column("PortalPassword")]
                    public string PortalPasswordHash { get; set; } = "";
                }

                public class ClinicDb : DbContext
                {
                    public DbSet<StaffAccount> Staff => Set<StaffAccount>();
                    public DbSet<Patient> Patients => Set<Patient>();

                    public void Enroll(Patient patient, string password) => patient.PortalPasswordHash = new PasswordHasher<Patient>().HashPassword(patient, password);
                }
                """;
            var test = new CSharpCodeFixTest<HipaaAnalyzers.Rules.HIPAA205PlaintextPasswordAnalyzer, HipaaAnalyzers.CodeFixes.Rules.HIPAA205PlaintextPasswordFixer, DefaultVerifier>
            {
                TestCode = Source,
                FixedCode = Fixed,
                ReferenceAssemblies = TestReferences.Net10WithLoggers,
                CodeActionEquivalenceKey = Key,

                // One fix changes a property and its comparison: three fixes for six diagnostics, one Fix All.
                NumberOfIncrementalIterations = 3,
                NumberOfFixAllIterations = 1,
            };
            return test.RunAsync(CancellationToken.None);
        }

        private static CSharpCodeFixTest<HipaaAnalyzers.Rules.HIPAA205PlaintextPasswordAnalyzer, HipaaAnalyzers.CodeFixes.Rules.HIPAA205PlaintextPasswordFixer, DefaultVerifier> Test(
            string[] sources, string[] fixedSources)
        {
            var test = new CSharpCodeFixTest<HipaaAnalyzers.Rules.HIPAA205PlaintextPasswordAnalyzer, HipaaAnalyzers.CodeFixes.Rules.HIPAA205PlaintextPasswordFixer, DefaultVerifier>
            {
                ReferenceAssemblies = TestReferences.Net10WithLoggers,
                CodeActionEquivalenceKey = Key,
            };
            for (var i = 0; i < sources.Length; i++)
            {
                test.TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
                test.FixedState.Sources.Add(($"/0/Test{i}.cs", fixedSources[i]));
            }

            return test;
        }
    }
}
