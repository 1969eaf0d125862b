namespace HipaaAnalyzers.Phi;

/// <summary>Why a symbol or value is PHI: what it is ("Patient.Ssn") and the evidence ("[Phi]", "name: social security number").</summary>
internal sealed class PhiReason
{
    public PhiReason(string what, string why)
    {
        What = what;
        Why = why;
    }

    public string What { get; }
    public string Why { get; }

    public override string ToString() => What + " (" + Why + ")";
}
