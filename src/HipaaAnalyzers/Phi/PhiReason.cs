namespace HipaaAnalyzers.Phi;

/// <summary>Why a symbol or value is PHI: what it is ("Patient.Ssn") and the evidence ("[Phi]", "name: social security number").</summary>
internal sealed class PhiReason
{
    public PhiReason(string what, string why, bool byName = false)
    {
        What = what;
        Why = why;
        ByName = byName;
    }

    public string What { get; }
    public string Why { get; }

    /// <summary>Judged by the name heuristic alone, not by an attribute: visible code that says otherwise wins.</summary>
    public bool ByName { get; }

    public override string ToString() => What + " (" + Why + ")";
}
