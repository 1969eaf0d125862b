using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class PhiPseudonymizerTests
{
    private static readonly Regex TokenFormat = new("^phi_[0-9a-f]{32}$", RegexOptions.CultureInvariant);

    private static readonly byte[] KeyA = SecretAssert.DistinctiveKey(32);
    private static readonly byte[] KeyB = Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray();

    [Theory]
    [InlineData("123-45-6789")]
    [InlineData("MRN-000417")]
    [InlineData("")]
    [InlineData("Zoë Ångström 山田")]
    public void Pseudonymize_IsDeterministicForOneKey(string value)
    {
        var first = new PhiPseudonymizer(KeyA);
        var second = new PhiPseudonymizer((byte[])KeyA.Clone());

        Assert.Equal(first.Pseudonymize(value), first.Pseudonymize(value));
        Assert.Equal(first.Pseudonymize(value), second.Pseudonymize(value));
    }

    [Fact]
    public void Pseudonymize_DiffersAcrossKeys()
    {
        var a = new PhiPseudonymizer(KeyA);
        var b = new PhiPseudonymizer(KeyB);

        Assert.NotEqual(a.Pseudonymize("123-45-6789"), b.Pseudonymize("123-45-6789"));
    }

    [Fact]
    public void Pseudonymize_DiffersAcrossValues()
    {
        var pseudonymizer = new PhiPseudonymizer(KeyA);
        string[] values = ["123-45-6789", "123-45-6788", "MRN-1", "MRN-2", "", " ", "jane", "Jane"];

        string[] tokens = values.Select(pseudonymizer.Pseudonymize).ToArray();

        Assert.Equal(values.Length, tokens.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("123-45-6789")]
    [InlineData("")]
    [InlineData(42)]
    [InlineData(3.14)]
    [InlineData(true)]
    public void Pseudonymize_HasTheDocumentedFormat(object value)
    {
        string token = new PhiPseudonymizer(KeyA).Pseudonymize(value);

        Assert.Matches(TokenFormat, token);
        Assert.Equal(36, token.Length);
    }

    [Fact]
    public void Pseudonymize_IsTheTruncatedHmacSha256OfTheUtf8Text()
    {
        const string Value = "123-45-6789";
        byte[] mac = HMACSHA256.HashData(KeyA, Encoding.UTF8.GetBytes(Value));
        string expected = "phi_" + Convert.ToHexString(mac, 0, 16).ToLowerInvariant();

        Assert.Equal(expected, new PhiPseudonymizer(KeyA).Pseudonymize(Value));
    }

    [Fact]
    public void Pseudonymize_HandlesLongValuesLikeShortOnes()
    {
        // Long values take the pooled-buffer path; the result must match a reference computation.
        string value = string.Concat(Enumerable.Repeat("Zoë 山田 ", 500));
        byte[] mac = HMACSHA256.HashData(KeyA, Encoding.UTF8.GetBytes(value));
        string expected = "phi_" + Convert.ToHexString(mac, 0, 16).ToLowerInvariant();

        var pseudonymizer = new PhiPseudonymizer(KeyA);
        Assert.Equal(expected, pseudonymizer.Pseudonymize(value));
        Assert.Equal(expected, pseudonymizer.Pseudonymize(value));
    }

    [Fact]
    public void Pseudonymize_Null_GivesTheFixedMarker()
    {
        Assert.Equal("phi_null", new PhiPseudonymizer(KeyA).Pseudonymize(null));
        Assert.Equal("phi_null", new PhiPseudonymizer(KeyB).Pseudonymize(null));
    }

    [Theory]
    [InlineData("123-45-6789")]
    [InlineData("Jane Doe")]
    [InlineData(123456789)]
    [InlineData(4111111111111111L)]
    public void Pseudonymize_DoesNotContainTheValue(object value)
    {
        string token = new PhiPseudonymizer(KeyA).Pseudonymize(value);

        Assert.DoesNotContain(Convert.ToString(value, CultureInfo.InvariantCulture)!, token, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Pseudonymize_DoesNotContainADate()
    {
        var dateOfBirth = new DateTime(1984, 7, 21);
        string token = new PhiPseudonymizer(KeyA).Pseudonymize(dateOfBirth);

        Assert.Matches(TokenFormat, token);
        Assert.DoesNotContain("1984", token, StringComparison.Ordinal);
    }

    [Fact]
    public void Pseudonymize_EqualDateTimes_GiveEqualTokens()
    {
        var pseudonymizer = new PhiPseudonymizer(KeyA);
        var parsed = DateTime.Parse("1984-07-21T10:30:00", CultureInfo.InvariantCulture);
        var constructed = new DateTime(1984, 7, 21, 10, 30, 0);
        var utc = new DateTime(1984, 7, 21, 10, 30, 0, DateTimeKind.Utc);
        var local = new DateTime(1984, 7, 21, 10, 30, 0, DateTimeKind.Local);

        // DateTime equality ignores Kind; so does the token.
        Assert.True(parsed == utc && utc == local);
        Assert.Equal(pseudonymizer.Pseudonymize(constructed), pseudonymizer.Pseudonymize(parsed));
        Assert.Equal(pseudonymizer.Pseudonymize(constructed), pseudonymizer.Pseudonymize(utc));
        Assert.Equal(pseudonymizer.Pseudonymize(constructed), pseudonymizer.Pseudonymize(local));
    }

    [Fact]
    public void Pseudonymize_DifferentDateTimes_GiveDifferentTokens()
    {
        var pseudonymizer = new PhiPseudonymizer(KeyA);
        var date = new DateTime(1984, 7, 21, 10, 30, 0);

        Assert.NotEqual(pseudonymizer.Pseudonymize(date), pseudonymizer.Pseudonymize(date.AddDays(1)));
        Assert.NotEqual(pseudonymizer.Pseudonymize(date), pseudonymizer.Pseudonymize(date.AddTicks(1)));
    }

    [Fact]
    public void Pseudonymize_EqualDateTimeOffsets_GiveEqualTokens()
    {
        var pseudonymizer = new PhiPseudonymizer(KeyA);
        var eastern = new DateTimeOffset(1984, 7, 21, 10, 30, 0, TimeSpan.FromHours(-5));
        var utc = new DateTimeOffset(1984, 7, 21, 15, 30, 0, TimeSpan.Zero);

        Assert.Equal(eastern, utc);
        Assert.Equal(pseudonymizer.Pseudonymize(eastern), pseudonymizer.Pseudonymize(utc));
        Assert.NotEqual(pseudonymizer.Pseudonymize(eastern), pseudonymizer.Pseudonymize(eastern.AddMinutes(1)));
    }

    [Fact]
    public void Pseudonymize_DateOnly_UsesTheRoundTripFormat()
    {
        var pseudonymizer = new PhiPseudonymizer(KeyA);

        Assert.Equal(pseudonymizer.Pseudonymize("1984-07-21"), pseudonymizer.Pseudonymize(new DateOnly(1984, 7, 21)));
        Assert.Equal(pseudonymizer.Pseudonymize(new DateOnly(1984, 7, 21)), pseudonymizer.Pseudonymize(DateOnly.Parse("1984-07-21", CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Pseudonymize_DoesNotDependOnTheCurrentCulture()
    {
        var pseudonymizer = new PhiPseudonymizer(KeyA);
        CultureInfo original = CultureInfo.CurrentCulture;
        string invariantNumber;
        string invariantDate;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            invariantNumber = pseudonymizer.Pseudonymize(1234.5);
            invariantDate = pseudonymizer.Pseudonymize(new DateTime(1984, 7, 21));

            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal(invariantNumber, pseudonymizer.Pseudonymize(1234.5));
            Assert.Equal(invariantDate, pseudonymizer.Pseudonymize(new DateTime(1984, 7, 21)));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }

        Assert.Equal(pseudonymizer.Pseudonymize("1234.5"), invariantNumber);
    }

    [Fact]
    public void Pseudonymize_NumberAndItsText_GiveTheSameToken()
    {
        var pseudonymizer = new PhiPseudonymizer(KeyA);

        Assert.Equal(pseudonymizer.Pseudonymize("417"), pseudonymizer.Pseudonymize(417));
        Assert.Equal(pseudonymizer.Pseudonymize("417"), pseudonymizer.Pseudonymize(417L));
    }

    [Fact]
    public void Pseudonymize_ToStringReturningNull_IsTreatedAsEmptyText()
    {
        var pseudonymizer = new PhiPseudonymizer(KeyA);

        Assert.Equal(pseudonymizer.Pseudonymize(string.Empty), pseudonymizer.Pseudonymize(new NullToString()));
    }

    [Fact]
    public void Pseudonymize_IsThreadSafe()
    {
        var pseudonymizer = new PhiPseudonymizer(KeyA);
        string[] values = Enumerable.Range(0, 64).Select(i => $"MRN-{i:D6}").ToArray();
        values[^1] = new string('x', 4000); // one value on the pooled-buffer path
        string[] expected = values.Select(pseudonymizer.Pseudonymize).ToArray();
        var mismatches = new ConcurrentBag<int>();

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int index = i % values.Length;
            if (!string.Equals(pseudonymizer.Pseudonymize(values[index]), expected[index], StringComparison.Ordinal))
            {
                mismatches.Add(i);
            }
        });

        Assert.Empty(mismatches);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void Constructor_RejectsShortKey_WithoutRevealingIt(int length)
    {
        byte[] key = SecretAssert.DistinctiveKey(length);

        var fromArray = Assert.Throws<ArgumentException>(() => new PhiPseudonymizer(key));
        var fromSpan = Assert.Throws<ArgumentException>(() => new PhiPseudonymizer(key.AsSpan()));

        foreach (ArgumentException exception in new[] { fromArray, fromSpan })
        {
            Assert.Equal("key", exception.ParamName);
            Assert.Contains("32 bytes", exception.Message, StringComparison.Ordinal);
            if (length > 0)
            {
                SecretAssert.DoesNotRevealKey(exception.Message, key);
                SecretAssert.DoesNotRevealKey(exception.ToString(), key);
            }
        }
    }

    [Fact]
    public void Constructor_RejectsNullArray()
    {
        Assert.Throws<ArgumentNullException>(() => new PhiPseudonymizer((byte[])null!));
    }

    [Fact]
    public void Constructor_AcceptsLongerKeys()
    {
        var pseudonymizer = new PhiPseudonymizer(SecretAssert.DistinctiveKey(64));

        Assert.Matches(TokenFormat, pseudonymizer.Pseudonymize("MRN-1"));
    }

    [Fact]
    public void Constructor_CopiesTheKey()
    {
        byte[] key = (byte[])KeyA.Clone();
        var pseudonymizer = new PhiPseudonymizer(key);
        string before = pseudonymizer.Pseudonymize("123-45-6789");

        Array.Clear(key);

        Assert.Equal(before, pseudonymizer.Pseudonymize("123-45-6789"));
    }

    [Fact]
    public void ToString_DoesNotRevealTheKey()
    {
        string text = new PhiPseudonymizer(KeyA).ToString();

        Assert.False(string.IsNullOrWhiteSpace(text));
        SecretAssert.DoesNotRevealKey(text, KeyA);
    }

    private sealed class NullToString
    {
        public override string? ToString() => null;
    }
}
