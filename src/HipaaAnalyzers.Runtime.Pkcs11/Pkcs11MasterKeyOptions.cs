using System;
using System.Globalization;

namespace HipaaAnalyzers.Runtime.Pkcs11;

/// <summary>
/// Options of <see cref="Pkcs11MasterKey"/>: which PKCS#11 library, token, PIN and key. Every option can also come from
/// an environment variable (see <see cref="FromEnvironment()"/>), as the other key providers of the runtime do.
/// </summary>
public sealed class Pkcs11MasterKeyOptions
{
    /// <summary>The environment variable of <see cref="LibraryPath"/>.</summary>
    public const string LibraryPathVariable = "HIPAA_PKCS11_LIBRARY";

    /// <summary>The environment variable of <see cref="TokenLabel"/>.</summary>
    public const string TokenLabelVariable = "HIPAA_PKCS11_TOKEN_LABEL";

    /// <summary>The environment variable of <see cref="SlotId"/>.</summary>
    public const string SlotIdVariable = "HIPAA_PKCS11_SLOT";

    /// <summary>The environment variable of <see cref="Pin"/>.</summary>
    public const string PinVariable = "HIPAA_PKCS11_PIN";

    /// <summary>The environment variable of <see cref="KeyLabel"/>.</summary>
    public const string KeyLabelVariable = "HIPAA_PKCS11_KEY_LABEL";

    /// <summary>The environment variable of <see cref="KeyVersion"/>.</summary>
    public const string KeyVersionVariable = "HIPAA_PKCS11_KEY_VERSION";

    /// <summary>The default <see cref="KeyLabel"/>.</summary>
    public const string DefaultKeyLabel = "hipaa-master-key";

    /// <summary>Gets or sets the path of the vendor's PKCS#11 library, for example <c>/usr/lib/softhsm/libsofthsm2.so</c>. Required.</summary>
    public string? LibraryPath { get; set; }

    /// <summary>Gets or sets the label of the token that holds the key. Set this or <see cref="SlotId"/> (both: they must agree).</summary>
    public string? TokenLabel { get; set; }

    /// <summary>Gets or sets the slot of the token that holds the key. Set this or <see cref="TokenLabel"/>.</summary>
    public ulong? SlotId { get; set; }

    /// <summary>
    /// Gets or sets the user PIN of the token. Required. Read it from a secret store or the <c>HIPAA_PKCS11_PIN</c>
    /// variable; it never appears in a message, a log or <see cref="object.ToString"/>.
    /// </summary>
    public string? Pin { get; set; }

    /// <summary>Gets or sets the label (<c>CKA_LABEL</c>) of the AES-256 master key. Default <see cref="DefaultKeyLabel"/>.</summary>
    public string KeyLabel { get; set; } = DefaultKeyLabel;

    /// <summary>
    /// Gets or sets the version of the key that wraps new data keys (stored in <c>CKA_ID</c>: the decimal version in
    /// ASCII, then <c>@yyyy-MM-dd</c>, the creation date). <see langword="null"/>, the default, takes the highest version on the token. Older versions still unwrap
    /// what they wrapped as long as they stay on the token.
    /// </summary>
    public int? KeyVersion { get; set; }

    /// <summary>Gets or sets the most PKCS#11 sessions opened at once (a session serves one caller at a time). Default 8.</summary>
    public int MaxSessions { get; set; } = 8;

    /// <summary>
    /// Gets or sets whether wrap and unwrap calls into the PKCS#11 module are made one at a time. <see langword="null"/>,
    /// the default, serializes them for SoftHSM2 only (its 2.6 releases crash under concurrent cryptographic calls,
    /// SoftHSMv2 issue 688) and lets hardware HSMs and KMS modules run one call per session in parallel. Since data keys
    /// are unwrapped once when the key ring loads, serializing costs little.
    /// </summary>
    public bool? SerializeTokenCalls { get; set; }

    /// <summary>Gets or sets how long a caller waits for a free session before failing. Default 30 seconds.</summary>
    public TimeSpan SessionWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the rotation period of the master key for <see cref="Pkcs11MasterKey.CheckAge"/>. Default 90 days (quarterly).</summary>
    public TimeSpan RotationPeriod { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Gets or sets how long before the end of its period the key is reported as due soon. Default 14 days.</summary>
    public TimeSpan DueSoonWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Gets or sets the clock of key ages and creation dates; default <see cref="System.TimeProvider.System"/>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Reads the options from <c>HIPAA_PKCS11_LIBRARY</c>, <c>HIPAA_PKCS11_TOKEN_LABEL</c>, <c>HIPAA_PKCS11_SLOT</c>,
    /// <c>HIPAA_PKCS11_PIN</c>, <c>HIPAA_PKCS11_KEY_LABEL</c> and <c>HIPAA_PKCS11_KEY_VERSION</c>; unset variables keep
    /// the defaults.
    /// </summary>
    /// <returns>The options.</returns>
    /// <exception cref="PhiConfigurationException">A slot or version variable is not a number (the message names the variable, not its value).</exception>
    public static Pkcs11MasterKeyOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Copies the values of the environment variables that are set into these options (used by dependency injection before the configure callback).</summary>
    /// <param name="getVariable">Reads a variable.</param>
    internal void ApplyEnvironment(Func<string, string?> getVariable)
    {
        if (Read(getVariable, LibraryPathVariable) is { } library)
        {
            LibraryPath = library;
        }

        if (Read(getVariable, TokenLabelVariable) is { } token)
        {
            TokenLabel = token;
        }

        if (Read(getVariable, SlotIdVariable) is { } slot)
        {
            SlotId = ulong.TryParse(slot, NumberStyles.None, CultureInfo.InvariantCulture, out ulong id)
                ? id
                : throw new PhiConfigurationException("The environment variable " + SlotIdVariable + " is not a slot number (a non-negative decimal integer).");
        }

        if (getVariable(PinVariable) is { Length: > 0 } pin)
        {
            Pin = pin;
        }

        if (Read(getVariable, KeyLabelVariable) is { } label)
        {
            KeyLabel = label;
        }

        if (Read(getVariable, KeyVersionVariable) is { } version)
        {
            KeyVersion = int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
                ? v
                : throw new PhiConfigurationException("The environment variable " + KeyVersionVariable + " is not a key version (a positive decimal integer).");
        }
    }

    internal static Pkcs11MasterKeyOptions FromEnvironment(Func<string, string?> getVariable)
    {
        var options = new Pkcs11MasterKeyOptions();
        options.ApplyEnvironment(getVariable);
        return options;
    }

    internal Pkcs11MasterKeyOptions Clone() => (Pkcs11MasterKeyOptions)MemberwiseClone();

    /// <summary>Returns the library, token and key; never the PIN.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => CryptoText.Format(
        $"Pkcs11MasterKeyOptions (library '{LibraryPath}', token {(TokenLabel is null ? "" : "'" + TokenLabel + "' ")}{(SlotId is { } s ? "slot " + s.ToString(CultureInfo.InvariantCulture) : "")}, key '{KeyLabel}'{(KeyVersion is { } v ? " v" + v.ToString(CultureInfo.InvariantCulture) : "")}, PIN {(Pin is null ? "not set" : "hidden")})");

    private static string? Read(Func<string, string?> getVariable, string name) =>
        getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}

/// <summary>Invariant formatting for messages.</summary>
internal static class CryptoText
{
    public static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
