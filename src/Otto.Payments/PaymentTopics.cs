namespace Otto.Payments;

/// <summary>Topic names, <c>pc.{env}.pmt.{class}.{system}.{Name}</c>: fct = a fact that happened, cmd = a request or reply.</summary>
public sealed record PaymentTopics(string Env)
{
    private string Name(string kind, string system, string name) => $"pc.{Env}.pmt.{kind}.{system}.{name}";

    /// <summary>CPR added a payment.</summary>
    public string PaymentAdded => Name("fct", "cpr", "PaymentAdded");

    /// <summary>CPR changed a payment's status.</summary>
    public string PaymentStatusChanged => Name("fct", "cpr", "PaymentStatusChanged");

    /// <summary>Otto asks the core about a transaction (keyed by correlation id); also read back as the table of pending requests.</summary>
    public string GetTrnRq => Name("cmd", "otto", "GetTrnRq");

    /// <summary>WSO2's reply, keyed by the request's correlation id.</summary>
    public string GetTrnRs => Name("cmd", "otto", "GetTrnRs");

    /// <summary>Otto's flags, consumed by the owning systems.</summary>
    public string PaymentFlagged => Name("fct", "otto", "PaymentFlagged");

    /// <summary>Replies joined to their request and re-keyed by payment id (a repartition topic Otto owns).</summary>
    public string RepliesByPayment => Name("cmd", "otto", "GetTrnRsByPayment");

    /// <summary>Records Otto could not read or process, with the reason in headers.</summary>
    public string DeadLetter => $"pc.{Env}.pmt.dlq.otto";

    /// <summary>Topics the source systems write and Otto reads.</summary>
    public IReadOnlyList<string> Inputs => [PaymentAdded, PaymentStatusChanged, GetTrnRs];

    /// <summary>Every topic of the topology except its changelogs.</summary>
    public IReadOnlyList<string> All => [PaymentAdded, PaymentStatusChanged, GetTrnRq, GetTrnRs, PaymentFlagged, RepliesByPayment, DeadLetter];
}
