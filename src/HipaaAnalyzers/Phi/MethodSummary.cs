using System.Collections.Immutable;

namespace HipaaAnalyzers.Phi;

/// <summary>
/// How PHI moves through a method of this compilation: whether its result is PHI whatever the arguments
/// (it returns a PHI member), and which parameters reach its result.
/// </summary>
internal sealed class MethodSummary
{
    public static readonly MethodSummary Empty = new(null, ImmutableHashSet<int>.Empty);

    public MethodSummary(PhiReason? intrinsic, ImmutableHashSet<int> parametersReachingResult)
    {
        Intrinsic = intrinsic;
        ParametersReachingResult = parametersReachingResult;
    }

    /// <summary>PHI the method returns on its own, such as <c>$"{FirstName} {LastName}"</c>.</summary>
    public PhiReason? Intrinsic { get; }

    /// <summary>Ordinals of the parameters whose values reach the returned value.</summary>
    public ImmutableHashSet<int> ParametersReachingResult { get; }
}
