using System;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

/// <summary>
/// Tests for how the default pseudonymizer is built from the environment variable's raw value. They
/// call the factory directly, so no test mutates the process environment.
/// </summary>
public sealed class DefaultPseudonymizerTests
{
    [Theory]
    [InlineData("this is not base64: patient 123-45-6789!")]
    [InlineData("c2VjcmV0LWtleQ=")]           // wrong padding
    [InlineData("@@@@-secret-@@@@")]
    public void MalformedValue_ThrowsConfigurationException_NamingTheVariableButNotTheValue(string raw)
    {
        var exception = Assert.Throws<PhiConfigurationException>(() => Phi.CreateDefaultPseudonymizer(raw));

        Assert.Contains("HIPAA_PSEUDONYMIZATION_KEY", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(raw, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(raw, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", exception.ToString(), StringComparison.Ordinal);
        Assert.IsAssignableFrom<InvalidOperationException>(exception);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(16)]
    [InlineData(31)]
    public void TooShortKey_ThrowsConfigurationException_WithoutRevealingIt(int length)
    {
        byte[] key = SecretAssert.DistinctiveKey(length);
        string raw = Convert.ToBase64String(key);

        var exception = Assert.Throws<PhiConfigurationException>(() => Phi.CreateDefaultPseudonymizer(raw));

        Assert.Contains("HIPAA_PSEUDONYMIZATION_KEY", exception.Message, StringComparison.Ordinal);
        Assert.Contains("32 bytes", exception.Message, StringComparison.Ordinal);
        if (length > 0)
        {
            Assert.DoesNotContain(raw, exception.ToString(), StringComparison.Ordinal);
            SecretAssert.DoesNotRevealKey(exception.ToString(), key);
        }
    }

    [Fact]
    public void ValidKey_GivesThePseudonymizerForThatKey()
    {
        byte[] key = SecretAssert.DistinctiveKey(32);

        PhiPseudonymizer fromEnvironment = Phi.CreateDefaultPseudonymizer(Convert.ToBase64String(key));

        Assert.Equal(new PhiPseudonymizer(key).Pseudonymize("MRN-000417"), fromEnvironment.Pseudonymize("MRN-000417"));
    }

    [Fact]
    public void ValidKey_ToleratesSurroundingWhitespace()
    {
        byte[] key = SecretAssert.DistinctiveKey(48);

        PhiPseudonymizer fromEnvironment = Phi.CreateDefaultPseudonymizer(" " + Convert.ToBase64String(key) + "\n");

        Assert.Equal(new PhiPseudonymizer(key).Pseudonymize("MRN-000417"), fromEnvironment.Pseudonymize("MRN-000417"));
    }

    [Fact]
    public void UnsetVariable_GivesARandomKeyPerPseudonymizer()
    {
        PhiPseudonymizer first = Phi.CreateDefaultPseudonymizer(null);
        PhiPseudonymizer second = Phi.CreateDefaultPseudonymizer(null);

        Assert.Equal(first.Pseudonymize("MRN-000417"), first.Pseudonymize("MRN-000417"));
        Assert.NotEqual(first.Pseudonymize("MRN-000417"), second.Pseudonymize("MRN-000417"));
    }

    [Fact]
    public void ConfigurationException_HasTheStandardConstructors()
    {
        var inner = new FormatException("inner");

        Assert.False(string.IsNullOrEmpty(new PhiConfigurationException().Message));
        Assert.Equal("message", new PhiConfigurationException("message").Message);
        Assert.Same(inner, new PhiConfigurationException("message", inner).InnerException);
    }
}
