using System;
using System.Collections.Generic;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class RedactTests
{
    public static IEnumerable<object?[]> PhiValues() =>
    [
        ["123-45-6789"],
        ["Jane Q. Doe"],
        [""],
        [123456789],
        [4111111111111111L],
        [98.6m],
        [37.5d],
        [new DateTime(1984, 7, 21, 0, 0, 0, DateTimeKind.Utc)],
        [new DateOnly(1984, 7, 21)],
        [new DateTimeOffset(1984, 7, 21, 10, 30, 0, TimeSpan.FromHours(-5))],
        [Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff")],
        [new ThrowingToString()],
        [null],
    ];

    [Theory]
    [MemberData(nameof(PhiValues))]
    public void Redact_ReturnsTheConstantMarker(object? value)
    {
        Assert.Equal("[REDACTED]", Phi.Redact(value));
    }

    [Theory]
    [MemberData(nameof(PhiValues))]
    public void Redact_NeverContainsTheValue(object? value)
    {
        string redacted = Phi.Redact(value);

        if (value is not null and not ThrowingToString)
        {
            string text = PhiPseudonymizer.FormatInvariant(value);
            if (text.Length > 0)
            {
                Assert.DoesNotContain(text, redacted, StringComparison.OrdinalIgnoreCase);
            }

            string? defaultText = value.ToString();
            if (!string.IsNullOrEmpty(defaultText))
            {
                Assert.DoesNotContain(defaultText, redacted, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.DoesNotContain("null", redacted, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Redact_ReturnsTheSameCachedInstance()
    {
        Assert.Same(Phi.Redact("a"), Phi.Redact(42));
        Assert.Same(Phi.Redact("a"), Phi.Redact(null));
    }

    [Fact]
    public void Redact_DoesNotAllocate()
    {
        object value = "123-45-6789";
        Phi.Redact(value); // warm up

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            Phi.Redact(value);
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }

    /// <summary>Redact must not even look at the value.</summary>
    private sealed class ThrowingToString
    {
        public override string ToString() => throw new InvalidOperationException("Redact must not format the value.");
    }
}
