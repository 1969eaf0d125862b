using System.IO;
using System.Linq;
using System.Threading.Tasks;
using HipaaAnalyzers.Cryptography;
using Xunit;
using Verify = HipaaAnalyzers.Tests.Verifiers.AnalyzerVerifier<HipaaAnalyzers.Rules.HIPAA900InvalidOptionAnalyzer>;

namespace HipaaAnalyzers.Tests.Rules;

/// <summary>The cryptography rules' options: invalid values are reported as HIPAA900, and every key is documented.</summary>
public sealed class CryptoOptionTests
{
    [Fact]
    public Task Invalid_key_sizes_and_booleans_are_reported_as_HIPAA900() => Verify.VerifyAsync(
        "class C { }",
        "hipaa_analyzers.HIPAA104.min_rsa_key_size = 1024\nhipaa_analyzers.HIPAA104.min_ec_key_size = big\nhipaa_analyzers.HIPAA101.use_default_allowed_in = maybe\n",
        Verify.Diagnostic("HIPAA900").WithArguments("hipaa_analyzers.HIPAA101.use_default_allowed_in", "/0/Test0.cs", "'maybe' is not one of the allowed values 'true' or 'false'"),
        Verify.Diagnostic("HIPAA900").WithArguments("hipaa_analyzers.HIPAA104.min_rsa_key_size", "/0/Test0.cs", "1024 is outside 2048..16384 (a setting may raise the NIST SP 800-131A minimum, not lower it)"),
        Verify.Diagnostic("HIPAA900").WithArguments("hipaa_analyzers.HIPAA104.min_ec_key_size", "/0/Test0.cs", "'big' is not a whole number of bits"));

    [Fact]
    public Task Valid_values_are_not_reported() => Verify.VerifyAsync(
        "class C { }",
        "hipaa_analyzers.HIPAA104.min_rsa_key_size = 3072\nhipaa_analyzers.HIPAA104.min_ec_key_size = 384\nhipaa_analyzers.HIPAA101.allowed_in = photo hash\nhipaa_analyzers.HIPAA101.use_default_allowed_in = FALSE\n");

    [Fact]
    public void Every_key_is_documented_on_its_rule_page_and_the_configuration_page()
    {
        var root = FindRoot();
        var configuration = File.ReadAllText(Path.Combine(root, "docs", "configuration.md"));
        var missing = CryptoOptions.AllKeys
            .Where(key =>
            {
                var rule = key.Split('.')[1];
                var page = File.ReadAllText(Path.Combine(root, "docs", "rules", rule + ".md"));
                return !page.Contains(key, System.StringComparison.Ordinal) || !configuration.Contains(key, System.StringComparison.Ordinal);
            })
            .ToList();
        Assert.True(missing.Count == 0, "Not documented on the rule page and docs/configuration.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_default_allowed_name_is_documented()
    {
        var page = File.ReadAllText(Path.Combine(FindRoot(), "docs", "rules", "HIPAA101.md"));
        var missing = CryptoOptions.DefaultAllowedIn.Split(',')
            .Select(w => w.Trim())
            .Where(w => !page.Contains("`" + w + "`", System.StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, "docs/rules/HIPAA101.md does not list: " + string.Join(", ", missing));
    }

    /// <summary>The repository root, found from this source file (builds may put the binaries outside the repository).</summary>
    private static string FindRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        foreach (var start in new[] { System.AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(thisFile) ?? "" })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "HipaaAnalyzers.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException("HipaaAnalyzers.sln not found above the test binaries, the working directory or " + thisFile);
    }
}
