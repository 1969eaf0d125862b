using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace HipaaAnalyzers.Runtime.Tests;

public sealed partial class PhiRedactorTests : IDisposable
{
    private readonly DataKey _pseudonymizationKey = DataKey.FromBytes("ps-1", KeyPurpose.Pseudonymization, TestKeys.Material(20));

    public void Dispose() => _pseudonymizationKey.Dispose();

    [Theory]
    [InlineData("123-45-6789")]
    [InlineData("")]
    [InlineData("Jane Q. Doe")]
    public void PhiRedactor_WritesTheRedactMarker(string value)
    {
        var redactor = new PhiRedactor();

        Assert.Equal("[REDACTED]", redactor.Redact(value));
        Assert.Equal(Phi.Redact(value), redactor.Redact(value));
        Assert.Equal(10, redactor.GetRedactedLength(value));
    }

    [Theory]
    [InlineData("MRN-000417")]
    [InlineData("")]
    [InlineData("Zoë Ångström 山田")]
    public void PseudonymizingRedactor_GivesTheSameTokenAsThePseudonymizer(string value)
    {
        var pseudonymizer = new PhiPseudonymizer(_pseudonymizationKey);
        var redactor = new PhiPseudonymizingRedactor(pseudonymizer);

        string token = redactor.Redact(value);

        Assert.Equal(pseudonymizer.Pseudonymize(value), token);
        Assert.Matches("^phi_[0-9a-f]{32}$", token);
        Assert.Equal(36, redactor.GetRedactedLength(value));
    }

    [Fact]
    public void Redactors_RejectShortDestinations()
    {
        Assert.Throws<ArgumentException>(() => new PhiRedactor().Redact("x", new char[9]));
        Assert.Throws<ArgumentException>(() => new PhiPseudonymizingRedactor(new PhiPseudonymizer(_pseudonymizationKey)).Redact("x", new char[35]));
    }

    [Fact]
    public void PseudonymizerFromAKey_MatchesTheRawKeyConstructor_AndRejectsOtherPurposes()
    {
        Assert.Equal(new PhiPseudonymizer(TestKeys.Material(20)).Pseudonymize("MRN-1"), new PhiPseudonymizer(_pseudonymizationKey).Pseudonymize("MRN-1"));

        using DataKey encryption = TestKeys.Encryption();
        var exception = Assert.Throws<ArgumentException>(() => new PhiPseudonymizer(encryption));
        Assert.Contains("not a pseudonymization key", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new PhiPseudonymizer((DataKey)null!));
    }

    [Fact]
    public void PhiDataAttribute_ClassifiesAsHipaaPhi()
    {
        DataClassificationAttribute attribute = typeof(Sample).GetProperty(nameof(Sample.Mrn))!.GetCustomAttribute<PhiDataAttribute>()!;

        Assert.Equal(HipaaDataClassifications.Phi, attribute.Classification);
        Assert.Equal("HIPAA", attribute.Classification.TaxonomyName);
        Assert.Equal("PHI", attribute.Classification.Value);
    }

    [Theory]
    [InlineData(PhiRedactionMode.Redact, typeof(PhiRedactor))]
    [InlineData(PhiRedactionMode.Pseudonymize, typeof(PhiPseudonymizingRedactor))]
    public void AddHipaaRedaction_RegistersTheRedactorForPhi(PhiRedactionMode mode, Type expected)
    {
        var services = new ServiceCollection();
        services.AddHipaaKeys().UseKeyRing(TestKeys.Ring((_pseudonymizationKey, DataKeyStatus.Active)));
        services.AddHipaaRedaction(mode);
        using ServiceProvider provider = services.BuildServiceProvider();

        Redactor redactor = provider.GetRequiredService<IRedactorProvider>().GetRedactor(HipaaDataClassifications.Phi);

        Assert.IsType(expected, redactor);
        string redacted = redactor.Redact("123-45-6789");
        Assert.DoesNotContain("6789", redacted, StringComparison.Ordinal);
        if (mode == PhiRedactionMode.Pseudonymize)
        {
            Assert.Equal(new PhiPseudonymizer(TestKeys.Material(20)).Pseudonymize("123-45-6789"), redacted);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task Pseudonymizing_log_redaction_starts_when_the_key_ring_provider_itself_logs()
    {
        // The logger factory needs the redactor, the redactor the pseudonymizer, the pseudonymizer the key ring, and
        // the key ring provider (like the environment and file providers) a logger: the redactor must not ask for the
        // pseudonymizer before its first value, or building the logger factory waits on itself.
        var sink = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(sink).EnableRedaction());
        services.AddSingleton(TestKeys.Ring((_pseudonymizationKey, DataKeyStatus.Active)));
        services.AddHipaaKeys().UseKeyRingProvider<LoggingKeyRingProvider>();
        services.AddHipaaRedaction(PhiRedactionMode.Pseudonymize);
        using ServiceProvider provider = services.BuildServiceProvider();

        var resolve = System.Threading.Tasks.Task.Run(() => provider.GetRequiredService<ILogger<PhiRedactorTests>>());
        var finished = await System.Threading.Tasks.Task.WhenAny(resolve, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == resolve, "Resolving a logger with pseudonymizing redaction did not finish.");
        Log.Admitted(await resolve, "123-45-6789");

        var expected = new PhiPseudonymizer(TestKeys.Material(20)).Pseudonymize("123-45-6789");
        var direct = provider.GetRequiredService<IRedactorProvider>().GetRedactor(HipaaDataClassifications.Phi);
        var spanToken = new char[36];
        direct.Redact("123-45-6789".AsSpan(), spanToken);
        Assert.Equal(expected, direct.Redact("123-45-6789"));
        Assert.Equal(expected, new string(spanToken));
        // The logging pipeline hands the redactor the value with the tag name as a discriminator, so the token in the
        // log is the field's own; what matters here is that the value is pseudonymized and never written.
        var admitted = Assert.Single(sink.Messages, m => m.StartsWith("Admitted", StringComparison.Ordinal));
        Assert.Matches("^Admitted phi_[0-9a-f]{32} ", admitted);
        Assert.DoesNotContain("6789", admitted, StringComparison.Ordinal);
    }

    private sealed class LoggingKeyRingProvider : IKeyRingProvider
    {
        private readonly KeyRing _ring;
        private readonly ILogger _logger;

        public LoggingKeyRingProvider(KeyRing ring, ILogger<LoggingKeyRingProvider> logger)
        {
            _ring = ring;
            _logger = logger;
        }

        public KeyRing GetKeyRing()
        {
            _logger.LogInformation("Key ring read");
            return _ring;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Admitted {Ssn}")]
        public static partial void Admitted(ILogger logger, [PhiData] string ssn);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Messages);

        public void Dispose()
        {
        }

        private sealed class Logger : ILogger
        {
            private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages;

            public Logger(System.Collections.Concurrent.ConcurrentQueue<string> messages) => _messages = messages;

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                _messages.Enqueue(formatter(state, exception) + " | " + string.Join(", ", (state as IEnumerable<KeyValuePair<string, object?>> ?? Array.Empty<KeyValuePair<string, object?>>()).Select(p => p.Key + "=" + p.Value)));
        }
    }

    [Fact]
    public void SetPhiRedactor_CoversExtraClassifications_AndLeavesOthersToTheDefault()
    {
        var teamPrivate = new DataClassification("Contoso", "Private");
        var services = new ServiceCollection();
        services.AddRedaction(builder => builder.SetPhiRedactor(PhiRedactionMode.Redact, teamPrivate));
        using ServiceProvider provider = services.BuildServiceProvider();
        var redactors = provider.GetRequiredService<IRedactorProvider>();

        Assert.IsType<PhiRedactor>(redactors.GetRedactor(teamPrivate));
        Assert.IsNotType<PhiRedactor>(redactors.GetRedactor(new DataClassification("Contoso", "Public")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddRedaction(b => b.SetPhiRedactor((PhiRedactionMode)9)));
    }

    [Fact]
    public void ToStrings_HideTheKey()
    {
        var redactor = new PhiPseudonymizingRedactor(new PhiPseudonymizer(_pseudonymizationKey));

        SecretAssert.DoesNotRevealKey(redactor.ToString(), TestKeys.Material(20));
        Assert.Equal("PhiRedactor ([REDACTED])", new PhiRedactor().ToString());
    }

    private sealed class Sample
    {
        [PhiData]
        public string Mrn { get; set; } = "";
    }
}
