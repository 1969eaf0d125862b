using System;
using System.Linq;
using Microsoft.Extensions.Logging;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed class KeyAgeCheckTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly DataKey _active = TestKeys.Encryption("enc-q1", 1, Created);
    private readonly DataKey _retired = TestKeys.Encryption("enc-q4", 2, Created.AddDays(-400));
    private readonly DataKey _index = DataKey.FromBytes("idx-1", KeyPurpose.BlindIndex, TestKeys.Material(3), Created.AddDays(-1000));
    private readonly ManualTimeProvider _clock = new(Created);
    private readonly CapturingLogger<KeyAgeCheck> _logger = new();
    private readonly KeyAgeCheck _check;

    public KeyAgeCheckTests()
    {
        var ring = TestKeys.Ring((_active, DataKeyStatus.Active), (_retired, DataKeyStatus.Retired), (_index, DataKeyStatus.Active));
        _check = new KeyAgeCheck(new InMemoryKeyRingProvider(ring), new KeyRotationOptions(), _clock, _logger);
    }

    public void Dispose()
    {
        _active.Dispose();
        _retired.Dispose();
        _index.Dispose();
    }

    [Theory]
    [InlineData(0, KeyAgeStatus.Current)]
    [InlineData(75, KeyAgeStatus.Current)]
    [InlineData(77, KeyAgeStatus.DueSoon)]
    [InlineData(90, KeyAgeStatus.DueSoon)]
    [InlineData(91, KeyAgeStatus.Overdue)]
    [InlineData(400, KeyAgeStatus.Overdue)]
    public void ActiveEncryptionKey_IsJudgedAgainstTheQuarterlyDefault(int days, KeyAgeStatus expected)
    {
        _clock.Now = Created.AddDays(days);

        KeyAgeReport report = _check.Check();

        KeyAgeResult result = report.Keys.Single(k => k.KeyId == "enc-q1");
        Assert.Equal(expected, result.AgeStatus);
        Assert.Equal(TimeSpan.FromDays(days), result.Age);
        Assert.Equal(TimeSpan.FromDays(90), result.RotationPeriod);
        Assert.Equal(expected == KeyAgeStatus.Overdue, report.HasOverdueKeys);
        Assert.Equal(expected == KeyAgeStatus.DueSoon, report.HasKeysDueSoon);
        Assert.Equal(_clock.Now, report.CheckedAt);
    }

    [Fact]
    public void RetiredKeys_AndPurposesWithoutAPeriod_AreNotChecked()
    {
        _clock.Now = Created.AddDays(10);

        KeyAgeReport report = _check.Check();

        Assert.Equal(KeyAgeStatus.NotChecked, report.Keys.Single(k => k.KeyId == "enc-q4").AgeStatus);
        Assert.Equal(KeyAgeStatus.NotChecked, report.Keys.Single(k => k.KeyId == "idx-1").AgeStatus);
        Assert.Equal(TimeSpan.FromDays(410), report.Keys.Single(k => k.KeyId == "enc-q4").Age);
    }

    [Fact]
    public void Overdue_LogsAWarningWithTheKeyIdAndAges_AndNoKeyMaterial()
    {
        _clock.Now = Created.AddDays(120);

        _check.Check();

        var warning = Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("enc-q1", warning.Text, StringComparison.Ordinal);
        Assert.Contains("120 days old", warning.Text, StringComparison.Ordinal);
        Assert.Contains("rotation period of 90 days", warning.Text, StringComparison.Ordinal);
        Assert.Contains("docs/runtime/key-rotation.md", warning.Text, StringComparison.Ordinal);
        Assert.Equal("KeyRotationOverdue", warning.EventId.Name);
        foreach (int seed in new[] { 1, 2, 3 })
        {
            SecretAssert.DoesNotRevealKey(_logger.AllText, TestKeys.Material(seed));
        }
    }

    [Fact]
    public void Periods_AreConfigurablePerPurpose()
    {
        var ring = TestKeys.Ring((_active, DataKeyStatus.Active), (_index, DataKeyStatus.Active));
        var options = new KeyRotationOptions { EncryptionKeyRotationPeriod = null, BlindIndexKeyRotationPeriod = TimeSpan.FromDays(365) };
        var check = new KeyAgeCheck(new InMemoryKeyRingProvider(ring), options, _clock);

        KeyAgeReport report = check.Check();

        Assert.Equal(KeyAgeStatus.NotChecked, report.Keys.Single(k => k.KeyId == "enc-q1").AgeStatus);
        Assert.Equal(KeyAgeStatus.Overdue, report.Keys.Single(k => k.KeyId == "idx-1").AgeStatus);
    }

    [Fact]
    public void KeysWithoutADate_HaveUnknownAge_AndAreReported()
    {
        using DataKey undated = DataKey.FromBytes("enc-env", KeyPurpose.Encryption, TestKeys.Material(4));
        var check = new KeyAgeCheck(new InMemoryKeyRingProvider(TestKeys.Ring((undated, DataKeyStatus.Active))), null, _clock, _logger);

        KeyAgeResult result = Assert.Single(check.Check().Keys);

        Assert.Equal(KeyAgeStatus.UnknownAge, result.AgeStatus);
        Assert.Null(result.Age);
        Assert.Contains("no creation date", _logger.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysFromTheFuture_AreZeroDaysOld()
    {
        _clock.Now = Created.AddDays(-5);

        Assert.Equal(TimeSpan.Zero, _check.Check().Keys.Single(k => k.KeyId == "enc-q1").Age);
    }

    [Fact]
    public void Report_ToStrings_AreReadable()
    {
        _clock.Now = Created.AddDays(100);

        KeyAgeReport report = _check.Check();

        Assert.Equal("KeyAgeReport (3 keys; 1 overdue, 0 due soon)", report.ToString());
        Assert.Equal("enc-q1 (encryption, active): 100 days old, Overdue", report.Keys[0].ToString());
    }
}
