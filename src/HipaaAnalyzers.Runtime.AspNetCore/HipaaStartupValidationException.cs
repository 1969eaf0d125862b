using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace HipaaAnalyzers.Runtime.AspNetCore;

/// <summary>
/// Thrown when the host starts (before the server accepts a request) when the configuration of the HIPAA runtime
/// does not hold together: an audited endpoint without <c>AddHipaaAudit</c>, an endpoint that names an authorization
/// policy nobody defined, no <c>IAuditSink</c>, an audit sink that cannot be created (for example a missing or
/// malformed signing key), or invalid audit options. <see cref="Problems"/> lists every problem found, one sentence
/// each; the message lists them too. Messages name endpoints, policies, options, variables and files, never PHI or key
/// material.
/// </summary>
public sealed class HipaaStartupValidationException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="HipaaStartupValidationException"/> class.</summary>
    public HipaaStartupValidationException()
        : this(Array.Empty<string>(), null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HipaaStartupValidationException"/> class with one problem.</summary>
    /// <param name="message">The problem.</param>
    public HipaaStartupValidationException(string? message)
        : this(message is null ? Array.Empty<string>() : new[] { message }, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HipaaStartupValidationException"/> class with one problem and its cause.</summary>
    /// <param name="message">The problem.</param>
    /// <param name="innerException">The exception that caused it.</param>
    public HipaaStartupValidationException(string? message, Exception? innerException)
        : this(message is null ? Array.Empty<string>() : new[] { message }, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HipaaStartupValidationException"/> class with every problem found.</summary>
    /// <param name="problems">The problems, one sentence each.</param>
    /// <param name="innerException">The exception behind a problem, or an <see cref="AggregateException"/> of several; may be <see langword="null"/>.</param>
    public HipaaStartupValidationException(IReadOnlyList<string> problems, Exception? innerException)
        : base(Compose(problems ?? throw new ArgumentNullException(nameof(problems))), innerException)
    {
        Problems = problems;
    }

    /// <summary>Gets the problems found, one sentence each, in the order they were found.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Compose(IReadOnlyList<string> problems)
    {
        if (problems.Count == 0)
        {
            return "The HIPAA runtime configuration is invalid; the host was not started.";
        }

        StringBuilder text = new();
        text.Append(problems.Count == 1
            ? "The HIPAA runtime configuration is invalid, so the host was not started (1 problem):"
            : string.Format(CultureInfo.InvariantCulture, "The HIPAA runtime configuration is invalid, so the host was not started ({0} problems):", problems.Count));
        foreach (string problem in problems)
        {
            text.Append('\n').Append("- ").Append(problem);
        }

        return text.ToString();
    }
}
