using System.Threading.Tasks;
using Xunit;
using VerifyFix = HipaaAnalyzers.Tests.Verifiers.CodeFixVerifier<
    HipaaAnalyzers.Rules.HIPAA108HomeMadeCryptographyAnalyzer,
    HipaaAnalyzers.CodeFixes.Rules.HIPAA108HomeMadeCryptographyFixer>;

namespace HipaaAnalyzers.Tests.Rules;

public partial class HIPAA108HomeMadeCryptographyTests
{
    /// <summary>The code fix: the helper's body becomes a call to the runtime's FieldEncryptor.</summary>
    public class Fixes
    {
        [Fact]
        public async Task Offers_field_encryptor()
        {
            var offered = await VerifyFix.GetOfferedFixesAsync(@"
class Protector
{
    private readonly HipaaAnalyzers.Runtime.FieldEncryptor _encryptor;
    public Protector(HipaaAnalyzers.Runtime.FieldEncryptor encryptor) => _encryptor = encryptor;
    public string Encrypt(string text) => System.Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));
}");

            Assert.Equal(new (string, string?)[] { ("Use the runtime's FieldEncryptor", "HIPAA108.FieldEncryptor") }, offered);
        }

        [Fact]
        public Task Rewrites_encrypt_and_decrypt_helpers() => VerifyFix.VerifyFixAsync(@"
using System;
using System.Text;
using HipaaAnalyzers.Runtime;
class Protector
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(""clinic"");
    private readonly FieldEncryptor _encryptor;

    public Protector(FieldEncryptor encryptor) => _encryptor = encryptor;

    public string Encrypt(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)({|HIPAA108:bytes[i] ^ Key[i % Key.Length]|});
        return Convert.ToBase64String(bytes);
    }

    public string Decrypt(string stored)
    {
        var bytes = Convert.FromBase64String(stored);
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)({|HIPAA108:bytes[i] ^ Key[i % Key.Length]|});
        return Encoding.UTF8.GetString(bytes);
    }

    public byte[] EncryptBlob(byte[] data)
    {
        var output = new byte[data.Length];
        for (int i = 0; i < data.Length; i++) output[i] = (byte)({|HIPAA108:data[i] ^ Key[i % Key.Length]|});
        return output;
    }
}", @"
using System;
using System.Text;
using HipaaAnalyzers.Runtime;
class Protector
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(""clinic"");
    private readonly FieldEncryptor _encryptor;

    public Protector(FieldEncryptor encryptor) => _encryptor = encryptor;

    public string Encrypt(string text) => _encryptor.EncryptString(text, EncryptionContext.None);

    public string Decrypt(string stored) => _encryptor.DecryptString(stored, EncryptionContext.None);

    public byte[] EncryptBlob(byte[] data) => _encryptor.Encrypt(data, EncryptionContext.None);
}");

        [Fact]
        public Task No_fix_without_a_field_encryptor_or_for_other_shapes() => VerifyFix.VerifyNoFixAsync(@"
using System;
using System.Text;
using HipaaAnalyzers.Runtime;
class Legacy
{
    private readonly FieldEncryptor _encryptor;
    public Legacy(FieldEncryptor encryptor) => _encryptor = encryptor;

    public static string EncryptPassword(string password) => {|HIPAA108:Convert.ToBase64String(Encoding.UTF8.GetBytes(password))|};

    public string CaesarEncrypt(string text, int shift)
    {
        var chars = text.ToCharArray();
        for (int i = 0; i < chars.Length; i++) chars[i] = {|HIPAA108:(char)(chars[i] + shift)|};
        return new string(chars);
    }
}
class NoEncryptor
{
    public string Encrypt(string text) => {|HIPAA108:Convert.ToBase64String(Encoding.UTF8.GetBytes(text))|};
}");
    }
}
