using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA201HardCodedKeyAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA201HardCodedKeyFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA201HardCodedKeyTests
{
    /// <summary>
    /// The code fix: with the runtime referenced, a symmetric key comes from the key ring (<c>HipaaKeys.Get</c>);
    /// without it, and for private keys, it is read from configuration when an IConfiguration is in scope, else from
    /// the environment.
    /// </summary>
    public class Fixes
    {
        [Fact]
        public async Task Offers_the_key_ring_and_names_the_key()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
using System.Security.Cryptography;
using System.Text;
class Svc
{
    byte[] Mac(byte[] data) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(""pepper""), data);
}");

            Assert.Equal(new (string, string?)[] { ("Get the key from the key ring: HipaaKeys.Get(\"hmac-key\")", "HIPAA201.ReadKey") }, offered);
        }

        [Theory]
        [InlineData("Jwt:SigningKey", "jwt-signing-key")]
        [InlineData("Keys:AesKey", "aes-key")]
        [InlineData("Keys:HMACKey", "hmackey")]
        [InlineData("Keys:Pepper", "pepper")]
        [InlineData("Keys:_weird key!", "_weird-key")]
        public void Key_names_are_valid_key_ids(string configurationKey, string expected)
        {
            var name = HipaaAnalyzers.CodeFixes.Rules.HIPAA201HardCodedKeyFixer.KeyName(configurationKey);
            Assert.Equal(expected, name);
            Assert.True(HipaaAnalyzers.Runtime.DataKey.IsValidKeyId(name));
        }

        [Fact]
        public Task Jwt_signing_key_comes_from_the_key_ring_in_a_field_initializer_and_in_main() => VerifyFix.VerifyFixAsync(@"
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.Tokens;

class Program
{
    static readonly SymmetricSecurityKey Shared = new SymmetricSecurityKey({|HIPAA201:Encoding.UTF8.GetBytes(""clinic-jwt-signing-secret-0123456789abcdef"")|});

    static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var signingKey = new SymmetricSecurityKey({|HIPAA201:Encoding.UTF8.GetBytes(""clinic-jwt-signing-secret-0123456789abcdef"")|});
    }
}" + IdentityModel, @"
using System.Text;
using HipaaAnalyzers.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.Tokens;

class Program
{
    static readonly SymmetricSecurityKey Shared = new SymmetricSecurityKey(HipaaKeys.Get(""jwt-signing-key""));

    static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var signingKey = new SymmetricSecurityKey(HipaaKeys.Get(""jwt-signing-key""));
    }
}" + IdentityModel, HIPAA201Fix);

        [Fact]
        public Task Fix_all_gets_every_symmetric_key_of_the_file_from_the_key_ring() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;

class Sealer
{
    private static readonly byte[] AesKey = new byte[] { 1, 2, 3, 4 };

    public void Seal(byte[] data)
    {
        using var gcm = new AesGcm({|HIPAA201:AesKey|}, 16);
        using var hmac = new HMACSHA256({|HIPAA201:Convert.FromBase64String(""c2VjcmV0LWhtYWMta2V5"")|});
        using var aes = Aes.Create();
        aes.Key = {|HIPAA201:new byte[] { 9, 9, 9, 9 }|};
    }
}", @"
using System;
using System.Security.Cryptography;
using HipaaAnalyzers.Runtime;

class Sealer
{
    public void Seal(byte[] data)
    {
        using var gcm = new AesGcm(HipaaKeys.Get(""aes-key""), 16);
        using var hmac = new HMACSHA256(HipaaKeys.Get(""hmac-key""));
        using var aes = Aes.Create();
        aes.Key = HipaaKeys.Get(""encryption-key"");
    }
}", HIPAA201Fix);

        [Fact]
        public Task A_name_HipaaKeys_taken_in_scope_keeps_the_call_qualified() => VerifyFix.VerifyFixAsync(@"
using System.Security.Cryptography;

class Svc
{
    private static readonly string HipaaKeys = ""not the runtime"";

    byte[] Mac(byte[] data) => HMACSHA256.HashData({|HIPAA201:new byte[] { 1, 2, 3 }|}, data);
}", @"
using System.Security.Cryptography;

class Svc
{
    private static readonly string HipaaKeys = ""not the runtime"";

    byte[] Mac(byte[] data) => HMACSHA256.HashData(HipaaAnalyzers.Runtime.HipaaKeys.Get(""hmac-key""), data);
}", HIPAA201Fix);

        [Fact]
        public Task Private_key_pem_is_read_as_text_even_with_the_runtime() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;

static class Signer
{
    public static RSA Load()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem({|HIPAA201:""-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----""|});
        return rsa;
    }
}", @"
using System;
using System.Security.Cryptography;

static class Signer
{
    public static RSA Load()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(Environment.GetEnvironmentVariable(""Keys__PrivateKey"") ?? throw new InvalidOperationException(""The environment variable 'Keys__PrivateKey' is not set.""));
        return rsa;
    }
}", HIPAA201Fix);

        [Fact]
        public Task Jwt_signing_key_is_read_from_the_builders_configuration_keeping_its_encoding() => VerifyFix.VerifyFixAsync(@"
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.Tokens;

class Program
{
    static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var signingKey = new SymmetricSecurityKey({|HIPAA201:Encoding.UTF8.GetBytes(""clinic-jwt-signing-secret-0123456789abcdef"")|});
    }
}" + IdentityModel, @"
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.Tokens;

class Program
{
    static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var signingKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(builder.Configuration[""Jwt:SigningKey""] ?? throw new System.InvalidOperationException(""The configuration value 'Jwt:SigningKey' is not set."")));
    }
}" + IdentityModel, HIPAA201Fix, referenceRuntime: false);

        [Fact]
        public Task Fix_all_reads_every_key_of_the_file_from_the_environment_without_configuration() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;

class Sealer
{
    private static readonly byte[] AesKey = new byte[] { 1, 2, 3, 4 };

    public void Seal(byte[] data)
    {
        using var gcm = new AesGcm({|HIPAA201:AesKey|}, 16);
        using var hmac = new HMACSHA256({|HIPAA201:Convert.FromBase64String(""c2VjcmV0LWhtYWMta2V5"")|});
        using var aes = Aes.Create();
        aes.Key = {|HIPAA201:new byte[] { 9, 9, 9, 9 }|};
    }
}", @"
using System;
using System.Security.Cryptography;

class Sealer
{
    public void Seal(byte[] data)
    {
        using var gcm = new AesGcm(Convert.FromBase64String(Environment.GetEnvironmentVariable(""Keys__AesKey"") ?? throw new InvalidOperationException(""The environment variable 'Keys__AesKey' is not set."")), 16);
        using var hmac = new HMACSHA256(Convert.FromBase64String(Environment.GetEnvironmentVariable(""Keys__HmacKey"") ?? throw new InvalidOperationException(""The environment variable 'Keys__HmacKey' is not set."")));
        using var aes = Aes.Create();
        aes.Key = Convert.FromBase64String(Environment.GetEnvironmentVariable(""Keys__EncryptionKey"") ?? throw new InvalidOperationException(""The environment variable 'Keys__EncryptionKey' is not set.""));
    }
}", HIPAA201Fix, referenceRuntime: false);

        [Fact]
        public Task Injected_configuration_is_used_in_instance_members() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

class Pseudonyms
{
    private const string Pepper = ""clinic-pepper"";
    private readonly IConfiguration _configuration;

    public Pseudonyms(IConfiguration configuration) => _configuration = configuration;

    public byte[] Token(byte[] value) => HMACSHA256.HashData({|HIPAA201:Encoding.UTF8.GetBytes(Pepper)|}, value);
}", @"
using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

class Pseudonyms
{
    private readonly IConfiguration _configuration;

    public Pseudonyms(IConfiguration configuration) => _configuration = configuration;

    public byte[] Token(byte[] value) => HMACSHA256.HashData(Encoding.UTF8.GetBytes(_configuration[""Keys:Pepper""] ?? throw new InvalidOperationException(""The configuration value 'Keys:Pepper' is not set."")), value);
}", HIPAA201Fix, referenceRuntime: false);

        [Fact]
        public Task Private_key_pem_is_read_as_text() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;

static class Signer
{
    public static RSA Load()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem({|HIPAA201:""-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----""|});
        return rsa;
    }
}", @"
using System;
using System.Security.Cryptography;

static class Signer
{
    public static RSA Load()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(Environment.GetEnvironmentVariable(""Keys__PrivateKey"") ?? throw new InvalidOperationException(""The environment variable 'Keys__PrivateKey' is not set.""));
        return rsa;
    }
}", HIPAA201Fix, referenceRuntime: false);

        [Fact]
        public Task A_key_field_still_read_elsewhere_gets_its_key_from_the_key_ring_too() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Security.Cryptography;
using System.Text;

class Sealer
{
    private static readonly byte[] AesKey = Encoding.UTF8.GetBytes(""Sup3rS3cretClinicKey-32-bytes!!!"");

    public int KeyBits => AesKey.Length * 8;

    public ICryptoTransform Encryptor()
    {
        using var aes = Aes.Create();
        aes.Key = {|HIPAA201:AesKey|};
        return aes.CreateEncryptor();
    }
}", @"
using System;
using System.Security.Cryptography;
using System.Text;
using HipaaAnalyzers.Runtime;

class Sealer
{
    private static readonly byte[] AesKey = HipaaKeys.Get(""aes-key"");

    public int KeyBits => AesKey.Length * 8;

    public ICryptoTransform Encryptor()
    {
        using var aes = Aes.Create();
        aes.Key = HipaaKeys.Get(""aes-key"");
        return aes.CreateEncryptor();
    }
}", HIPAA201Fix);

        [Fact]
        public Task The_constant_text_behind_a_key_field_goes_with_it() => VerifyFix.VerifyFixAsync(@"
using System.Security.Cryptography;
using System.Text;

class Tokens
{
    private const string SigningSecret = ""clinic-link-signing-secret-2024"";
    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes(SigningSecret);

    public byte[] Sign(byte[] data)
    {
        using var hmac = new HMACSHA256({|HIPAA201:SigningKey|});
        return hmac.ComputeHash(data);
    }
}", @"
using System.Security.Cryptography;
using System.Text;
using HipaaAnalyzers.Runtime;

class Tokens
{
    public byte[] Sign(byte[] data)
    {
        using var hmac = new HMACSHA256(HipaaKeys.Get(""signing-key""));
        return hmac.ComputeHash(data);
    }
}", HIPAA201Fix);

        [Fact]
        public Task A_local_that_held_the_key_is_removed() => VerifyFix.VerifyFixAsync(@"
using System.Security.Cryptography;
using System.Text;

class Tokens
{
    public byte[] Sign(byte[] data)
    {
        var secret = ""clinic-link-signing-secret-2024"";
        return HMACSHA256.HashData({|HIPAA201:Encoding.UTF8.GetBytes(secret)|}, data);
    }
}", @"
using System.Security.Cryptography;
using System.Text;
using HipaaAnalyzers.Runtime;

class Tokens
{
    public byte[] Sign(byte[] data)
    {
        return HMACSHA256.HashData(HipaaKeys.Get(""secret""), data);
    }
}", HIPAA201Fix);

        [Fact]
        public async Task A_key_constant_of_another_file_is_removed_with_its_last_use()
        {
            var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpCodeFixTest<
                HipaaAnalyzers.Rules.HIPAA201HardCodedKeyAnalyzer,
                HipaaAnalyzers.CodeFixes.Rules.HIPAA201HardCodedKeyFixer,
                Microsoft.CodeAnalysis.Testing.DefaultVerifier>
            {
                ReferenceAssemblies = HipaaAnalyzers.Tests.Verifiers.TestReferences.Net10WithLoggers,
                CodeActionEquivalenceKey = HIPAA201Fix,
            };
            test.TestState.Sources.Add(("/0/Secrets.cs", @"
static class Secrets
{
    internal const string HmacText = ""clinic-hmac-secret-2024"";
    private const string Unrelated = ""stays"";
}"));
            test.TestState.Sources.Add(("/0/Signer.cs", @"
using System.Security.Cryptography;
using System.Text;

class Signer
{
    public byte[] Sign(byte[] data) => HMACSHA256.HashData({|HIPAA201:Encoding.UTF8.GetBytes(Secrets.HmacText)|}, data);
}"));
            test.FixedState.Sources.Add(("/0/Secrets.cs", @"
static class Secrets
{
    private const string Unrelated = ""stays"";
}"));
            test.FixedState.Sources.Add(("/0/Signer.cs", @"
using System.Security.Cryptography;
using System.Text;
using HipaaAnalyzers.Runtime;

class Signer
{
    public byte[] Sign(byte[] data) => HMACSHA256.HashData(HipaaKeys.Get(""hmac-text""), data);
}"));
            test.TestState.AdditionalReferences.Add(HipaaAnalyzers.Tests.Verifiers.TestReferences.Runtime);
            test.FixedState.AdditionalReferences.Add(HipaaAnalyzers.Tests.Verifiers.TestReferences.Runtime);
            await test.RunAsync();
        }

        [Fact]
        public Task No_fix_for_a_hard_coded_iv_which_must_be_random_for_each_encryption() => VerifyFix.VerifyNoFixAsync(@"
using System.Security.Cryptography;

class Legacy
{
    private static readonly byte[] Iv = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

    public void Configure(Aes aes) => aes.IV = {|HIPAA201:Iv|};
}");

        private const string HIPAA201Fix = "HIPAA201.ReadKey";
    }
}
