using System.Collections.Immutable;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// How PHI moves through a method of this compilation: whether its result is PHI whatever the arguments
/// (it returns a PHI member), and which parameters reach its result.
/// </summary>
internal sealed class MethodSummary
{
    /// <summary>Nothing known: no body to read, or a recursive call still being summarized.</summary>
    public static readonly MethodSummary Empty = new(null, ImmutableHashSet<int>.Empty, returnsOnlyCleanValues: false);

    public MethodSummary(PhiReason? intrinsic, ImmutableHashSet<int> parametersReachingResult, bool returnsOnlyCleanValues)
    {
        Intrinsic = intrinsic;
        ParametersReachingResult = parametersReachingResult;
        ReturnsOnlyCleanValues = returnsOnlyCleanValues;
    }

    /// <summary>Every return is a constant or a sanitizer's result, so a PHI-sounding name ("MaskedSsn()") does not count.</summary>
    public bool ReturnsOnlyCleanValues { get; }

    /// <summary>PHI the method returns on its own, such as <c>$"{FirstName} {LastName}"</c>.</summary>
    public PhiReason? Intrinsic { get; }

    /// <summary>Ordinals of the parameters whose values reach the returned value.</summary>
    public ImmutableHashSet<int> ParametersReachingResult { get; }
}
