using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA205PlaintextPasswordAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA205PlaintextPasswordTests
{
    private const string Model = """

        namespace Portal
        {
            using Microsoft.EntityFrameworkCore;

            public class PortalUser
            {
                public int Id { get; set; }
                public string Email { get; set; } = "";
                public string {|#0:Password|} { get; set; } = "";
            }

            public class StaffAccount
            {
                public int Id { get; set; }
                public string UserName { get; set; } = "";
                public string? {|#1:LoginPwd|} { get; set; }
                public string PasswordHash { get; set; } = "";
                public string PasswordSalt { get; set; } = "";
                public string HashedPassword { get; set; } = "";
                public string PasswordResetToken { get; set; } = "";
                [System.ComponentModel.DataAnnotations.Schema.NotMapped]
                public string ConfirmPassword { get; set; } = "";
            }

            public class PortalDb : DbContext
            {
                public DbSet<PortalUser> Users => Set<PortalUser>();
                public DbSet<StaffAccount> Staff => Set<StaffAccount>();
            }

            public class LoginRequest
            {
                public string Email { get; set; } = "";
                public string Password { get; set; } = "";
            }
        }
        """;

    [Fact]
    public Task Reports_password_columns_of_stored_entities_and_comparisons_with_submitted_passwords() => Verify.VerifyAsync("""
        using System;
        using System.Linq;
        using Portal;

        public class Accounts
        {
            public bool SignIn(PortalDb db, LoginRequest request)
            {
                var user = db.Users.Single(u => u.Email == request.Email);
                if ({|#2:user.Password == request.Password|}) return true;
                var found = db.Users.Any(u => u.Email == request.Email && {|#3:u.Password == request.Password|});
                var staff = db.Staff.First();
                return {|#4:staff.LoginPwd!.Equals(request.Password)|} || {|#5:string.Equals(request.Password, user.Password, StringComparison.Ordinal)|} ||
                    {|#6:string.Compare(user.Password, request.Password)|} == 0 && found;
            }
        }
        """ + Model,
        Verify.Diagnostic("HIPAA205").WithLocation(2).WithArguments("The stored password 'PortalUser.Password' is compared with '==' to another value, so it is kept in plain text: verify with PasswordHasher<T>.VerifyHashedPassword against a stored hash"),
        Verify.Diagnostic("HIPAA205").WithLocation(3).WithArguments("The stored password 'PortalUser.Password' is compared with '==' to another value, so it is kept in plain text: verify with PasswordHasher<T>.VerifyHashedPassword against a stored hash"),
        Verify.Diagnostic("HIPAA205").WithLocation(4).WithArguments("The stored password 'StaffAccount.LoginPwd' is compared with 'Equals' to another value, so it is kept in plain text: verify with PasswordHasher<T>.VerifyHashedPassword against a stored hash"),
        Verify.Diagnostic("HIPAA205").WithLocation(5).WithArguments("The stored password 'PortalUser.Password' is compared with 'string.Equals' to another value, so it is kept in plain text: verify with PasswordHasher<T>.VerifyHashedPassword against a stored hash"),
        Verify.Diagnostic("HIPAA205").WithLocation(6).WithArguments("The stored password 'PortalUser.Password' is compared with 'string.Compare' to another value, so it is kept in plain text: verify with PasswordHasher<T>.VerifyHashedPassword against a stored hash"),
        Verify.Diagnostic("HIPAA205").WithLocation(0).WithArguments("'PortalUser.Password' holds a password and is stored by 'PortalDb' as it was typed: store a hash from PasswordHasher<T>.HashPassword instead"),
        Verify.Diagnostic("HIPAA205").WithLocation(1).WithArguments("'StaffAccount.LoginPwd' holds a password and is stored by 'PortalDb' as it was typed: store a hash from PasswordHasher<T>.HashPassword instead"));

    [Fact]
    public Task Leaves_hashes_requests_view_models_constants_and_projects_without_ef_core_alone() => Verify.VerifyAsync("""
        using System.Linq;
        using Microsoft.AspNetCore.Identity;

        namespace Portal
        {
            public class PortalUser
            {
                public int Id { get; set; }
                public string PasswordHash { get; set; } = "";
            }

            public class PortalDb : Microsoft.EntityFrameworkCore.DbContext
            {
                public Microsoft.EntityFrameworkCore.DbSet<PortalUser> Users => Set<PortalUser>();
            }

            public class RegisterViewModel
            {
                public string Password { get; set; } = "";
                public string ConfirmPassword { get; set; } = "";
            }

            public class Accounts
            {
                private readonly PasswordHasher<PortalUser> _hasher = new();

                public bool SignIn(PortalDb db, RegisterViewModel model)
                {
                    var user = db.Users.First();
                    if (model.Password != model.ConfirmPassword) return false;
                    if (string.IsNullOrEmpty(model.Password) || model.Password == "") return false;
                    return _hasher.VerifyHashedPassword(user, user.PasswordHash, model.Password) != PasswordVerificationResult.Failed;
                }
            }
        }
        """);
}
