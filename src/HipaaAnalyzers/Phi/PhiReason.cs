namespace HipaaAnalyzers.Phi;

/// <summary>Why a symbol or value is PHI: what it is ("Patient.Ssn") and the evidence ("[Phi]", "name: social security number").</summary>
internal sealed class PhiReason
{
    public PhiReason(string what, string why, bool byName = false, bool identifiesPerson = false)
    {
        What = what;
        Why = why;
        ByName = byName;
        IdentifiesPerson = identifiesPerson;
    }

    public string What { get; }
    public string Why { get; }

    /// <summary>Judged by the name heuristic alone, not by an attribute: visible code that says otherwise wins.</summary>
    public bool ByName { get; }

    /// <summary>
    /// Evidence that says who someone is (a name, an address, a date of birth, a national or plan identifier, Identity's
    /// personal data) rather than something clinical. It is PHI only for a patient: the same member of a doctor, an
    /// employee or a product is not.
    /// </summary>
    public bool IdentifiesPerson { get; }

    /// <summary>For a member whose type carries PHI: the reason of the member inside it, which ends the chain.</summary>
    public PhiReason? Inner { get; private set; }

    /// <summary>
    /// <paramref name="member"/> ("Order.Patient") carries PHI because of <paramref name="inner"/>; the reason names every
    /// link down to the PHI member and its evidence: "carries Patient.Address > Address.Street (name: ...)".
    /// </summary>
    public static PhiReason Carrying(string member, PhiReason inner) =>
        new(member, "carries " + Chain(inner)) { Inner = inner };

    /// <summary>Every link down to the PHI member and its evidence: "Appointment.Patient > Patient.Name (name: person name)".</summary>
    public string ToChain() => Chain(this);

    private static string Chain(PhiReason reason) =>
        reason.Inner is null ? reason.ToString() : reason.What + " > " + Chain(reason.Inner);

    /// <summary>"Patient.Ssn (name: social security number)".</summary>
    public override string ToString() => What + " (" + Why + ")";
}
