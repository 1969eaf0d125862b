using System;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;

namespace HipaaAnalyzers.Runtime;

/// <summary>The data classification of protected health information in the Microsoft.Extensions.Compliance taxonomy.</summary>
public static class HipaaDataClassifications
{
    /// <summary>The taxonomy name: <c>"HIPAA"</c>.</summary>
    public const string TaxonomyName = "HIPAA";

    /// <summary>Gets the classification of PHI: taxonomy <c>"HIPAA"</c>, value <c>"PHI"</c>.</summary>
    public static DataClassification Phi => new(TaxonomyName, "PHI");
}

/// <summary>
/// Classifies a value as PHI for Microsoft.Extensions.Compliance, so that logging with
/// <c>EnableRedaction()</c> passes it through the redactor registered for
/// <see cref="HipaaDataClassifications.Phi"/> (see <see cref="HipaaRedactionBuilderExtensions.SetPhiRedactor"/>).
/// </summary>
/// <remarks>
/// Put it on <c>[LoggerMessage]</c> parameters and on properties logged with <c>[LogProperties]</c>. The
/// HipaaAnalyzers rules treat it like <see cref="PhiAttribute"/>, which marks PHI for the analyzers only.
/// </remarks>
/// <example>
/// <code>
/// [LoggerMessage(Level = LogLevel.Information, Message = "Admitted {Mrn}")]
/// static partial void Admitted(ILogger logger, [PhiData] string mrn);
/// </code>
/// </example>
public sealed class PhiDataAttribute : DataClassificationAttribute
{
    /// <summary>Initializes a new instance of the <see cref="PhiDataAttribute"/> class.</summary>
    public PhiDataAttribute()
        : base(HipaaDataClassifications.Phi)
    {
    }
}

/// <summary>How the PHI redactor treats values.</summary>
public enum PhiRedactionMode
{
    /// <summary>Replace every value with <c>"[REDACTED]"</c>, like <see cref="Phi.Redact(object)"/>.</summary>
    Redact = 1,

    /// <summary>
    /// Replace every value with its keyed pseudonym, like <see cref="Phi.Pseudonymize(object)"/>, so the
    /// same patient correlates across log lines. Needs a pseudonymization key in the key ring.
    /// </summary>
    Pseudonymize = 2,
}

/// <summary>
/// A Microsoft.Extensions.Compliance <see cref="Redactor"/> that replaces every value, empty ones
/// included, with <c>"[REDACTED]"</c>, the marker of <see cref="Phi.Redact(object)"/>. It never reads
/// the value, so the output reveals neither the value nor its length.
/// </summary>
public sealed class PhiRedactor : Redactor
{
    /// <inheritdoc/>
    public override int GetRedactedLength(ReadOnlySpan<char> input) => Phi.RedactedText.Length;

    /// <inheritdoc/>
    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        if (destination.Length < Phi.RedactedText.Length)
        {
            throw new ArgumentException("The destination is too short for the redacted value.", nameof(destination));
        }

        Phi.RedactedText.AsSpan().CopyTo(destination);
        return Phi.RedactedText.Length;
    }

    /// <summary>Returns <c>"[REDACTED]"</c> for every input, empty and <see langword="null"/> included, like <see cref="Phi.Redact(object)"/>.</summary>
    /// <param name="source">The value; it is not read.</param>
    /// <returns><c>"[REDACTED]"</c>.</returns>
    public override string Redact(string? source) => Phi.RedactedText;

    /// <summary>Returns a description.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "PhiRedactor ([REDACTED])";
}

/// <summary>
/// A Microsoft.Extensions.Compliance <see cref="Redactor"/> that replaces every value with its keyed
/// pseudonym from a <see cref="PhiPseudonymizer"/>: <c>"phi_"</c> and 32 hexadecimal characters, the same
/// token <see cref="Phi.Pseudonymize(object)"/> gives for the same text and key.
/// </summary>
public sealed class PhiPseudonymizingRedactor : Redactor
{
    private readonly Lazy<PhiPseudonymizer> _pseudonymizer;

    /// <summary>Initializes a new instance of the <see cref="PhiPseudonymizingRedactor"/> class.</summary>
    /// <param name="pseudonymizer">The pseudonymizer, typically built from the key ring's pseudonymization key.</param>
    public PhiPseudonymizingRedactor(PhiPseudonymizer pseudonymizer)
    {
        ArgumentNullException.ThrowIfNull(pseudonymizer);
        _pseudonymizer = new Lazy<PhiPseudonymizer>(pseudonymizer);
    }

    /// <summary>
    /// A redactor that gets its pseudonymizer when it redacts its first value. The logging pipeline creates its
    /// redactors while the logger factory is being built, and the pseudonymizer reads the key ring, whose provider logs:
    /// asking for it at construction would make the logger factory wait on itself.
    /// </summary>
    internal PhiPseudonymizingRedactor(Func<PhiPseudonymizer> pseudonymizer) =>
        _pseudonymizer = new Lazy<PhiPseudonymizer>(pseudonymizer, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

    /// <inheritdoc/>
    public override int GetRedactedLength(ReadOnlySpan<char> input) => PhiPseudonymizer.TokenLength;

    /// <inheritdoc/>
    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        if (destination.Length < PhiPseudonymizer.TokenLength)
        {
            throw new ArgumentException("The destination is too short for the pseudonym.", nameof(destination));
        }

        _pseudonymizer.Value.WriteToken(source, destination);
        return PhiPseudonymizer.TokenLength;
    }

    /// <summary>
    /// Returns the pseudonym of <paramref name="source"/>: for the empty string too (the base class would
    /// return it unchanged), and <c>"phi_null"</c> for <see langword="null"/>, like
    /// <see cref="PhiPseudonymizer.Pseudonymize(object)"/>.
    /// </summary>
    /// <param name="source">The value.</param>
    /// <returns>The token.</returns>
    public override string Redact(string? source) => _pseudonymizer.Value.Pseudonymize(source);

    /// <summary>Returns a description; never the key.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => "PhiPseudonymizingRedactor (HMAC-SHA256, key hidden)";
}

/// <summary>Registers the PHI redactors with Microsoft.Extensions.Compliance redaction.</summary>
public static class HipaaRedactionBuilderExtensions
{
    private static readonly Func<IServiceProvider, object> s_lazyPseudonymizingRedactor =
        sp => new PhiPseudonymizingRedactor(() => sp.GetRequiredService<PhiPseudonymizer>());

    /// <summary>
    /// Uses the PHI redactor for values classified as <see cref="HipaaDataClassifications.Phi"/> (see
    /// <see cref="PhiDataAttribute"/>) and for any further <paramref name="classifications"/>.
    /// </summary>
    /// <param name="builder">The redaction builder of <c>services.AddRedaction(...)</c>.</param>
    /// <param name="mode">Redact (the default) or pseudonymize.</param>
    /// <param name="classifications">More classifications to treat as PHI, for example a team's own taxonomy.</param>
    /// <returns>The builder.</returns>
    /// <example>
    /// <code>
    /// builder.Services.AddRedaction(r => r.SetPhiRedactor(PhiRedactionMode.Pseudonymize));
    /// builder.Logging.EnableRedaction();
    /// </code>
    /// </example>
    public static IRedactionBuilder SetPhiRedactor(this IRedactionBuilder builder, PhiRedactionMode mode = PhiRedactionMode.Redact, params DataClassificationSet[] classifications)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(classifications);
        var all = new DataClassificationSet[classifications.Length + 1];
        all[0] = HipaaDataClassifications.Phi;
        classifications.CopyTo(all, 1);

        switch (mode)
        {
            case PhiRedactionMode.Redact:
                return builder.SetRedactor<PhiRedactor>(all);
            case PhiRedactionMode.Pseudonymize:
                builder.Services.AddHipaaPseudonymization();
                builder.SetRedactor<PhiPseudonymizingRedactor>(all);

                // SetRedactor registers the redactor as a Redactor built by the container, which would build the
                // pseudonymizer with it, while the logger factory is being built; this one reads it on first use.
                for (int i = builder.Services.Count - 1; i >= 0; i--)
                {
                    ServiceDescriptor descriptor = builder.Services[i];
                    if (descriptor.ServiceType == typeof(Redactor) &&
                        (descriptor.ImplementationType == typeof(PhiPseudonymizingRedactor) || descriptor.ImplementationFactory == s_lazyPseudonymizingRedactor))
                    {
                        builder.Services.RemoveAt(i);
                    }
                }

                builder.Services.Add(ServiceDescriptor.Singleton(typeof(Redactor), s_lazyPseudonymizingRedactor));
                return builder;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), "The redaction mode is not defined.");
        }
    }
}
