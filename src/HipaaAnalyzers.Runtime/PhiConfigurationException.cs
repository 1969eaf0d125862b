using System;

namespace HipaaAnalyzers.Runtime;

/// <summary>
/// The exception thrown when the PHI protection configuration is invalid, for example when the
/// <c>HIPAA_PSEUDONYMIZATION_KEY</c> environment variable does not hold a usable key.
/// </summary>
/// <remarks>
/// Messages name the setting that is wrong and why, but never include its value: configuration
/// values are keys and other secrets.
/// </remarks>
public sealed class PhiConfigurationException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="PhiConfigurationException"/> class.</summary>
    public PhiConfigurationException()
        : base("The PHI protection configuration is invalid.")
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="PhiConfigurationException"/> class with a message.
    /// </summary>
    /// <param name="message">The message; it must not contain secret values.</param>
    public PhiConfigurationException(string? message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="PhiConfigurationException"/> class with a message
    /// and the exception that caused it.
    /// </summary>
    /// <param name="message">The message; it must not contain secret values.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public PhiConfigurationException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
