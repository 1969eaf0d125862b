using System;
using System.Linq;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class BlindIndexPlannerTests
{
    private const double DatesOfBirth = 36_525; // a century of days

    [Fact]
    public void DateOfBirth_32Bits_IsTooLong_ADictionaryOfDatesRecoversIt()
    {
        BlindIndexPlan plan = BlindIndexPlanner.Plan(32, DatesOfBirth, 1_000_000);

        BlindIndexWarning warning = Assert.Single(plan.Warnings);
        Assert.Equal(BlindIndexWarningKind.TooLong, warning.Kind);
        Assert.Contains("dictionary", warning.Message, StringComparison.Ordinal);
        Assert.Contains("at most 14 bits", warning.Message, StringComparison.Ordinal);
        Assert.True(plan.ValuesPerIndexValue < 1);
    }

    [Fact]
    public void DateOfBirth_HasAUsefulAndSafeRange_For1MRows()
    {
        BlindIndexPlan plan = BlindIndexPlanner.Plan(12, DatesOfBirth, 1_000_000);

        Assert.True(plan.IsAcceptable);
        Assert.Equal(10, plan.MinimumUsefulBits);   // 1e6 / 2^10 ~ 977 false positives <= 1000
        Assert.Equal(14, plan.MaximumSafeBits);     // 36525 / 2^14 ~ 2.2 dates per index value >= 2
        Assert.Equal(10, plan.RecommendedBits);
        Assert.Equal(1_000_000 / 4096.0, plan.ExpectedFalsePositivesPerQuery, 6);
        Assert.Equal(DatesOfBirth / 4096.0, plan.ValuesPerIndexValue, 6);
    }

    [Fact]
    public void TooShort_ReturnsMostOfTheTable()
    {
        BlindIndexPlan plan = BlindIndexPlanner.Plan(4, 1e9, 1_000_000);

        BlindIndexWarning warning = Assert.Single(plan.Warnings);
        Assert.Equal(BlindIndexWarningKind.TooShort, warning.Kind);
        Assert.Contains("62,500 false positives", warning.Message, StringComparison.Ordinal);
        Assert.Contains("at least 10 bits", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SmallTables_NeedTheIndexToNarrowToOnePercent()
    {
        BlindIndexPlan plan = BlindIndexPlanner.Plan(4, 1e9, 500);

        Assert.Equal(BlindIndexWarningKind.TooShort, Assert.Single(plan.Warnings).Kind);
        Assert.Equal(7, plan.MinimumUsefulBits); // 500 / 2^7 ~ 3.9 <= 5
    }

    [Fact]
    public void TinyDomainsOverManyRows_HaveNoSafeLength()
    {
        BlindIndexPlan plan = BlindIndexPlanner.Plan(8, 2, 1_000_000); // e.g. a yes/no flag

        Assert.Contains(plan.Warnings, w => w.Kind == BlindIndexWarningKind.NoSafeLength);
        Assert.Null(plan.RecommendedBits);
        Assert.Null(plan.MaximumSafeBits);
        Assert.False(plan.IsAcceptable);
    }

    [Fact]
    public void Ssn_IsComfortable()
    {
        BlindIndexPlan plan = BlindIndexPlanner.Plan(20, 1e9, 10_000_000);

        Assert.True(plan.IsAcceptable, string.Join("; ", plan.Warnings));
        Assert.Equal(28, plan.MaximumSafeBits);
        Assert.Contains("acceptable", plan.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_AreConfigurable()
    {
        var strict = new BlindIndexPlannerOptions { MinValuesPerIndexValue = 64 };

        Assert.True(BlindIndexPlanner.Plan(12, DatesOfBirth, 1_000_000).IsAcceptable);
        Assert.Contains(BlindIndexPlanner.Plan(12, DatesOfBirth, 1_000_000, strict).Warnings, w => w.Kind == BlindIndexWarningKind.TooLong);
    }

    [Fact]
    public void InvalidInput_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BlindIndexPlanner.Plan(0, 10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlindIndexPlanner.Plan(257, 10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlindIndexPlanner.Plan(8, 0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlindIndexPlanner.Plan(8, double.NaN, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlindIndexPlanner.Plan(8, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlindIndexPlanner.Plan(8, 10, 10, new BlindIndexPlannerOptions { MaxFalsePositiveFraction = 0 }));
    }
}
