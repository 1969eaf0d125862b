using System.Threading.Tasks;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA107WeakKeyDerivationAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA107WeakKeyDerivationTests
{
    [Fact]
    public Task Reports_sha1_defaults_low_counts_and_password_derive_bytes() => Verify.VerifyAsync(@"
#pragma warning disable SYSLIB0041, SYSLIB0060
using System.Security.Cryptography;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
class Kdf
{
    private const int Iterations = 10_000;
    private static readonly int ReadOnlyIterations = 100_000;

    void Run(string password, byte[] salt)
    {
        var a = {|HIPAA107:new Rfc2898DeriveBytes(password, salt)|}.GetBytes(32);
        var b = {|HIPAA107:new Rfc2898DeriveBytes(password, salt, 1_300_000)|}.GetBytes(32);
        var c = {|HIPAA107:new Rfc2898DeriveBytes(password, salt, 1_000_000, HashAlgorithmName.MD5)|}.GetBytes(32);
        using var d = {|HIPAA107:new Rfc2898DeriveBytes(password, salt, Iterations, HashAlgorithmName.SHA256)|};
        var e = {|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(password, salt, ReadOnlyIterations, HashAlgorithmName.SHA256, 32)|};
        int count = 100_000;
        var f = {|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(password, salt, count, HashAlgorithmName.SHA512, 64)|};
        var g = {|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA1, 20)|};
        var h = {|HIPAA107:new PasswordDeriveBytes(password, salt)|}.GetBytes(32);
        var i = {|HIPAA107:KeyDerivation.Pbkdf2(password, salt, KeyDerivationPrf.HMACSHA1, 600_000, 32)|};
        var j = {|HIPAA107:KeyDerivation.Pbkdf2(password, salt, KeyDerivationPrf.HMACSHA256, 10_000, 32)|};
        using var k = {|HIPAA107:new Rfc2898DeriveBytes(password, 16)|};
    }
}");

    [Fact]
    public Task Leaves_alone_strong_and_unknown_settings() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
class Kdf
{
    private const int Iterations = 600_000;

    void Run(string password, byte[] salt, int configuredIterations, HashAlgorithmName configuredHash)
    {
        var a = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, 32);
        var b = Rfc2898DeriveBytes.Pbkdf2(password, salt, 210_000, HashAlgorithmName.SHA512, 64);
        var c = Rfc2898DeriveBytes.Pbkdf2(password, salt, configuredIterations, HashAlgorithmName.SHA256, 32);
        var d = Rfc2898DeriveBytes.Pbkdf2(password, salt, 700_000, configuredHash, 32);
        var e = KeyDerivation.Pbkdf2(password, salt, KeyDerivationPrf.HMACSHA512, 210_000, 64);
        var f = KeyDerivation.Pbkdf2(password, salt, KeyDerivationPrf.HMACSHA256, 600_000, 32);
        var g = HKDF.DeriveKey(HashAlgorithmName.SHA256, salt, 32);
    }
}");

    [Fact]
    public Task Reports_identity_password_hasher_options_turned_down() => Verify.VerifyAsync(@"
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
class Startup
{
    void Configure(IServiceCollection services)
    {
        services.Configure<PasswordHasherOptions>(o => {|#0:o.IterationCount = 10_000|});
        services.Configure<PasswordHasherOptions>(o => {|HIPAA107:o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2|});
        var options = new PasswordHasherOptions { {|HIPAA107:IterationCount = 100_000|}, {|HIPAA107:CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2|} };
    }
}", Verify.Diagnostic("HIPAA107").WithLocation(0).WithArguments("PasswordHasherOptions.IterationCount",
        "10,000 iterations of HMAC-SHA512 (Identity V3); at least 210,000 are required"));

    [Fact]
    public Task Leaves_alone_identity_options_at_or_above_the_minimum_and_identity_v3() => Verify.VerifyAsync(@"
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
class Startup
{
    private const int Iterations = 600_000;

    void Configure(IServiceCollection services, int configured)
    {
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 210_000);
        services.Configure<PasswordHasherOptions>(o => o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3);
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = configured);
        var options = new PasswordHasherOptions { IterationCount = Iterations, CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3 };
    }
}");

    [Fact]
    public Task Reports_a_single_round_of_a_fast_hash_over_a_password() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;
class Accounts
{
    byte[] Salted(string password, byte[] salt)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        var input = new byte[salt.Length + bytes.Length];
        salt.CopyTo(input, 0);
        bytes.CopyTo(input, salt.Length);
        return {|#0:SHA256.HashData(input)|};
    }

    string Concatenated(string userName, string pin) =>
        Convert.ToBase64String({|HIPAA107:SHA512.HashData(Encoding.UTF8.GetBytes(userName + pin))|});

    bool Verify(string passphrase, byte[] stored)
    {
        using var sha = SHA384.Create();
        var hash = {|HIPAA107:sha.ComputeHash(Encoding.UTF8.GetBytes($""pepper:{passphrase}""))|};
        return CryptographicOperations.FixedTimeEquals(hash, stored);
    }
}", Verify.Diagnostic("HIPAA107").WithLocation(0).WithArguments("SHA256.HashData",
        "a single round of SHA-256 over a password ('password'); fast hashes can be guessed billions of times a second, use PBKDF2 with at least 600,000 iterations"));

    [Fact]
    public Task Leaves_alone_fast_hashes_of_non_passwords_pre_hashing_and_loops() => Verify.VerifyAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;
class Tokens
{
    byte[] ApiToken(string resetToken) => SHA256.HashData(Encoding.UTF8.GetBytes(resetToken));

    byte[] Document(byte[] content) => SHA256.HashData(content);

    byte[] PreHash(string password, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(SHA256.HashData(Encoding.UTF8.GetBytes(password)), salt, 600_000, HashAlgorithmName.SHA256, 32);

    byte[] PreHashLocal(string password, byte[] salt)
    {
        var prehash = Convert.ToBase64String(SHA384.HashData(Encoding.UTF8.GetBytes(password)));
        return Rfc2898DeriveBytes.Pbkdf2(prehash, salt, 600_000, HashAlgorithmName.SHA256, 32);
    }

    string PasswordLabel(string passwordLabel) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(passwordLabel)));

    byte[] HmacOfPassword(byte[] key, string password) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(password));

    byte[] Stretched(string password)
    {
        var state = Encoding.UTF8.GetBytes(password);
        for (int i = 0; i < 100_000; i++)
        {
            state = SHA256.HashData(state);
        }

        return state;
    }
}");

    [Fact]
    public Task Minimum_is_configurable() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
class Kdf
{
    void Run(string password, byte[] salt)
    {
        var a = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);
        var b = {|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32)|};
    }
}".Replace("var a = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000", "var a = Rfc2898DeriveBytes.Pbkdf2(password, salt, 1_000_000"),
        "hipaa_analyzers.HIPAA107.min_iterations = 1_000_000\n");

    [Fact]
    public Task An_unusable_minimum_falls_back_to_the_default() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
class Kdf
{
    void Run(string password, byte[] salt)
    {
        var a = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, HashAlgorithmName.SHA256, 32);
        var b = {|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(password, salt, 599_999, HashAlgorithmName.SHA256, 32)|};
    }
}", "hipaa_analyzers.HIPAA107.min_iterations = lots\n");

    [Fact]
    public Task Reports_hash_algorithms_named_by_string_or_kept_in_locals() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
class Kdf
{
    void Run(string password, byte[] salt)
    {
        var a = {|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(password, salt, 700_000, new HashAlgorithmName(""SHA1""), 20)|};
        var hash = HashAlgorithmName.SHA256;
        var b = {|HIPAA107:Rfc2898DeriveBytes.Pbkdf2(password, salt, 500_000, hash, 32)|};
        var c = Rfc2898DeriveBytes.Pbkdf2(password, salt, 600_000, hash, 32);
    }
}");

    [Fact]
    public Task Message_names_the_prf_and_the_count() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
class C
{
    byte[] Run(string p, byte[] s, HashAlgorithmName h)
    {
        var a = {|#0:Rfc2898DeriveBytes.Pbkdf2(p, s, 100_000, HashAlgorithmName.SHA256, 32)|};
        return {|#1:Rfc2898DeriveBytes.Pbkdf2(p, s, 100_000, h, 32)|};
    }
}",
        Verify.Diagnostic("HIPAA107").WithLocation(0).WithArguments("Rfc2898DeriveBytes.Pbkdf2", "100,000 iterations of HMAC-SHA256; at least 600,000 are required"),
        Verify.Diagnostic("HIPAA107").WithLocation(1).WithArguments("Rfc2898DeriveBytes.Pbkdf2", "100,000 iterations; at least 210,000 (SHA-512) or 600,000 (SHA-256) are required"));

    [Fact]
    public Task Locals_that_refer_to_each_other_do_not_loop() => Verify.VerifyAsync(@"
using System.Security.Cryptography;
class Kdf
{
    byte[] Run(string password, byte[] salt)
    {
        int a;
        int b;
        a = {|CS0165:b|};
        b = a;
        HashAlgorithmName h;
        HashAlgorithmName g;
        h = {|CS0165:g|};
        g = h;
        return Rfc2898DeriveBytes.Pbkdf2(password, salt, a, h, 32);
    }
}");
}
