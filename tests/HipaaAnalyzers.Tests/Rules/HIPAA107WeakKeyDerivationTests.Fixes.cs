using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA107WeakKeyDerivationAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA107WeakKeyDerivationFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA107WeakKeyDerivationTests
{
    /// <summary>The code fix: PBKDF2 with SHA-256 and enough iterations.</summary>
    public class Fixes
    {
        [Fact]
        public async Task Offers_strong_key_derivation()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
class C
{
    byte[] Run(string p, byte[] s) => System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(p, s, 1000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
}");

            Assert.Equal(new (string, string?)[] { ("Use PBKDF2 with SHA-256 and enough iterations", "HIPAA107.StrongKeyDerivation") }, offered);
        }

        [Fact]
        public Task Rewrites_instances_constructors_and_one_shots() => VerifyFix.VerifyFixAsync(@"
#pragma warning disable SYSLIB0041, SYSLIB0060
using System.Security.Cryptography;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
class Kdf
{
    void Run(string password, byte[] salt)
    {
        var a = {|HIPAA107:new Rfc2898DeriveBytes(password, salt)|}.GetBytes(32);
        var b = {|HIPAA107:new Rfc2898DeriveBytes(password, salt, 10_000, HashAlgorithmName.SHA1)|}.GetBytes(32);
        using var c = {|HIPAA107:new Rfc2898DeriveBytes(password, salt, 2_000_000)|};
        using var d = {|HIPAA107:new Rfc2898DeriveBytes(password, 16)|};
        var e = {|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(password, salt, 1000, HashAlgorithmName.SHA1, 32)|};
        var f = {|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, HashAlgorithmName.SHA512, 64)|};
        var g = {|HIPAA107:KeyDerivation.Pbkdf2(password, salt, KeyDerivationPrf.HMACSHA1, 10000, 32)|};
        var h = {|HIPAA107:new PasswordDeriveBytes(password, salt)|}.GetBytes(32);
    }
}", @"
#pragma warning disable SYSLIB0041, SYSLIB0060
using System.Security.Cryptography;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
class Kdf
{
    void Run(string password, byte[] salt)
    {
        var a = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);
        var b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);
        using var c = new Rfc2898DeriveBytes(password, salt, 2_000_000, HashAlgorithmName.SHA256);
        using var d = new Rfc2898DeriveBytes(password, 16, 600_000, HashAlgorithmName.SHA256);
        var e = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);
        var f = Rfc2898DeriveBytes.Pbkdf2(password, salt, 210_000, HashAlgorithmName.SHA512, 64);
        var g = KeyDerivation.Pbkdf2(password, salt, KeyDerivationPrf.HMACSHA256, 600_000, 32);
        var h = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);
    }
}");

        [Fact]
        public Task No_fix_for_password_derive_bytes_kept_in_a_local() => VerifyFix.VerifyNoFixAsync(@"
#pragma warning disable SYSLIB0041
using System.Security.Cryptography;
class Kdf
{
    byte[] Run(string password, byte[] salt)
    {
        var kdf = {|HIPAA107:new PasswordDeriveBytes(password, salt)|};
        return kdf.GetBytes(32);
    }
}");
    }
}
