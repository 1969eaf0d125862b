using System.IO;
using System.Linq;
using HipaaAnalyzers.Vocabulary;
using Xunit;

namespace HipaaAnalyzers.Tests.Vocabulary;

/// <summary>The one vocabulary of security names that the cryptography and secrets rules share.</summary>
public class SecurityNamesTests
{
    /// <summary>
    /// The first look at a name reads it once; it must answer exactly as a case-insensitive search for each fragment
    /// would, for names in any case, with digits and underscores, and with letters beyond ASCII (whose folding is the
    /// runtime's own rule: a long s, a dotless i, the Kelvin sign).
    /// </summary>
    [Fact]
    public void The_first_look_at_a_name_answers_as_a_search_for_each_fragment()
    {
        string[] fragments =
        {
            "pass", "pwd", "otp", "pin", "salt", "nonce", "iv", "secret", "credential", "key", "csrf", "xsrf", "session", "token", "code", "signature",
        };
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@\u0131\u017f\u00e9\u212a";
        var random = new System.Random(20261207);
        int matched = 0;
        for (int round = 0; round < 50_000; round++)
        {
            var name = new System.Text.StringBuilder();
            AppendRandom(random, alphabet, name, random.Next(0, 6));
            if (random.Next(2) == 0)
            {
                // A fragment in random case, sometimes cut short or with a dotless i in place of its i.
                var fragment = fragments[random.Next(fragments.Length)];
                fragment = random.Next(4) == 0 ? fragment.Substring(0, random.Next(1, fragment.Length)) : fragment;
                foreach (var letter in fragment)
                {
                    name.Append(letter == 'i' && random.Next(4) == 0 ? '\u0131' : random.Next(2) == 0 ? char.ToUpperInvariant(letter) : letter);
                }
            }

            AppendRandom(random, alphabet, name, random.Next(0, 6));
            var text = name.ToString();
            bool expected = fragments.Any(f => text.IndexOf(f, System.StringComparison.OrdinalIgnoreCase) >= 0);
            matched += expected ? 1 : 0;
            Assert.True(expected == SecurityNames.MayName(text), text);
        }

        Assert.InRange(matched, 15_000, 35_000);
    }

    private static void AppendRandom(System.Random random, string alphabet, System.Text.StringBuilder name, int count)
    {
        for (int i = 0; i < count; i++)
        {
            name.Append(alphabet[random.Next(alphabet.Length)]);
        }
    }

    [Theory]
    [InlineData("password", nameof(SecurityValue.Password))]
    [InlineData("DbPassword", nameof(SecurityValue.Password))]
    [InlineData("dbpassword", nameof(SecurityValue.Password))]
    [InlineData("passwordBytes", nameof(SecurityValue.Password))]
    [InlineData("Passcode", nameof(SecurityValue.Password))]
    [InlineData("pinCode", nameof(SecurityValue.OneTimeCode))]
    [InlineData("verificationCode", nameof(SecurityValue.OneTimeCode))]
    [InlineData("totp", nameof(SecurityValue.OneTimeCode))]
    [InlineData("ClientSecret", nameof(SecurityValue.Secret))]
    [InlineData("clientsecret", nameof(SecurityValue.Secret))]
    [InlineData("ApiKey", nameof(SecurityValue.ApiKey))]
    [InlineData("SendGridApiKey", nameof(SecurityValue.ApiKey))]
    [InlineData("resetToken", nameof(SecurityValue.Token))]
    [InlineData("signingKey", nameof(SecurityValue.Key))]
    [InlineData("saltBytes", nameof(SecurityValue.Salt))]
    [InlineData("GenerateSalt", nameof(SecurityValue.Salt))]
    [InlineData("Iv", nameof(SecurityValue.IV))]
    [InlineData("requestSignature", nameof(SecurityValue.Signature))]
    [InlineData("SessionId", nameof(SecurityValue.SessionId))]
    [InlineData("credentials", nameof(SecurityValue.Credential))]
    public void Names_a_security_value(string name, string kind) =>
        Assert.Equal(kind, SecurityNames.Classify(name).Kind.ToString());

    [Theory]
    [InlineData("cancellationToken")]
    [InlineData("pageToken")]
    [InlineData("tokenizer")]
    [InlineData("tokenCount")]
    [InlineData("keyboard")]
    [InlineData("cacheKey")]
    [InlineData("partitionKey")]
    [InlineData("passwordLabel")]
    [InlineData("PasswordHash")]
    [InlineData("PasswordResetPath")]
    [InlineData("zipCode")]
    [InlineData("patientId")]
    [InlineData("boardingPass")]
    [InlineData("")]
    public void Names_none(string name) => Assert.True(SecurityNames.Classify(name).IsNone, name);

    [Fact]
    public void Pass_is_a_password_only_on_a_string()
    {
        Assert.Equal(SecurityValue.Password, SecurityNames.ClassifyString("UserPass").Kind);
        Assert.True(SecurityNames.Classify("UserPass").IsNone);
    }

    [Theory]
    [InlineData("hashedPassword", true, false)]
    [InlineData("EncryptedSecret", true, false)]
    [InlineData("NewPassword", false, true)]
    [InlineData("confirmPassword", false, true)]
    [InlineData("UserPassword", false, false)]
    public void Reads_how_a_password_is_held(string name, bool isProtected, bool isTransient)
    {
        var security = SecurityNames.Classify(name);
        Assert.Equal(isProtected, security.IsProtected);
        Assert.Equal(isTransient, security.IsTransient);
        Assert.Equal(!isProtected, security.IsSignInSecret);
    }

    [Theory]
    [InlineData("PasswordChecksum", true)]
    [InlineData("HashApiKeyForLookup", true)]
    [InlineData("privateKeyFingerprint", true)]
    [InlineData("SaltChecksum", true)]
    [InlineData("ComputeChecksum", false)]
    [InlineData("CacheKeyChecksum", false)]
    [InlineData("cancellationToken", false)]
    [InlineData("ContentIvHash", false)]
    public void Mentions_a_security_value_in_any_word(string name, bool mentions) =>
        Assert.Equal(mentions, SecurityNames.Mentions(name));

    [Fact]
    public void A_bare_key_is_cryptographic_only_on_bytes()
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("t", references: new[]
        {
            Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(typeof(object).Assembly.Location),
        });
        var bytes = compilation.CreateArrayTypeSymbol(compilation.GetSpecialType(Microsoft.CodeAnalysis.SpecialType.System_Byte));
        var text = compilation.GetSpecialType(Microsoft.CodeAnalysis.SpecialType.System_String);
        var number = compilation.GetSpecialType(Microsoft.CodeAnalysis.SpecialType.System_Int32);

        Assert.Equal(SecurityValue.Key, SecurityNames.Classify("key", bytes).Kind);
        Assert.True(SecurityNames.Classify("key", text).IsNone);
        Assert.True(SecurityNames.Classify("salt", number).IsNone);
        Assert.Equal(SecurityValue.Key, SecurityNames.Classify("encryptionKey", text).Kind);
    }

    [Fact]
    public void Every_deciding_word_is_documented()
    {
        var page = File.ReadAllText(Path.Combine(FindRoot(), "docs", "configuration.md"));
        int start = page.IndexOf("## Security names", System.StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/configuration.md has no 'Security names' section");
        var section = page.Substring(start, page.IndexOf("\n## ", start + 3, System.StringComparison.Ordinal) - start);
        var missing = SecurityNames.Heads.Keys
            .Concat(SecurityNames.Representation)
            .Concat(SecurityNames.ProtectedWords)
            .Concat(SecurityNames.TransientWords)
            .Where(word => !section.Contains("`" + word + "`", System.StringComparison.Ordinal) &&
                           !section.Contains("*" + word + "*", System.StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, "docs/configuration.md, Security names, does not list: " + string.Join(", ", missing));
    }

    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        for (var directory = new DirectoryInfo(Path.GetDirectoryName(thisFile) ?? "."); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HipaaAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("HipaaAnalyzers.sln not found above " + thisFile);
    }
}
