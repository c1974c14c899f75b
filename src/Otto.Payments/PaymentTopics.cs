namespace Otto.Payments;

/// <summary>One topic of the payments topology, as the topic catalog lists it.</summary>
/// <param name="Name">The topic name.</param>
/// <param name="Key">What the key is (all keys are strings).</param>
/// <param name="ValueSchema">The value's Avro record (full name), or "bytes" for raw records.</param>
/// <param name="Producer">Who writes it.</param>
/// <param name="Purpose">One line on what it carries.</param>
/// <param name="Consumers">Who outside Otto reads it (the topic catalog adds Otto's own readers from the topology).</param>
public sealed record TopicSpec(string Name, string Key, string ValueSchema, string Producer, string Purpose, string? Consumers = null);

/// <summary>Topic names, <c>pc.{env}.pmt.{class}.{system}.{Name}</c>: fct = a fact that happened, cmd = a request or reply.</summary>
public sealed record PaymentTopics(string Env)
{
    private string Name(string kind, string system, string name) => $"pc.{Env}.pmt.{kind}.{system}.{name}";

    /// <summary>CPR added a payment.</summary>
    public string PaymentAdded => Name("fct", "cpr", "PaymentAdded");

    /// <summary>CPR changed a payment's status.</summary>
    public string PaymentStatusChanged => Name("fct", "cpr", "PaymentStatusChanged");

    /// <summary>CPR cancelled a payment.</summary>
    public string PaymentCancelled => Name("fct", "cpr", "PaymentCancelled");

    /// <summary>WSO2 saw the core book a payment's transaction.</summary>
    public string TrnAdded => Name("fct", "wso2", "TrnAdded");

    /// <summary>SettlementRecon matched a (partial) settlement to a payment.</summary>
    public string PaymentSettled => Name("fct", "recon", "PaymentSettled");

    /// <summary>PaymentRepo.Limits consumed or restored a customer's limits.</summary>
    public string LimitsUpdated => Name("fct", "limits", "LimitsUpdated");

    /// <summary>Reference data: accounts, keyed by account id, held by every instance.</summary>
    public string Accounts => Name("fct", "accounts", "Account");

    /// <summary>Otto asks the core about a transaction (keyed by correlation id); also read back as the table of pending requests.</summary>
    public string GetTrnRq => Name("cmd", "otto", "GetTrnRq");

    /// <summary>WSO2's reply, keyed by the request's correlation id.</summary>
    public string GetTrnRs => Name("cmd", "otto", "GetTrnRs");

    /// <summary>Otto asks a source system to fix a payment (keyed by idempotency key); also read back as a table.</summary>
    public string FixPaymentRq => Name("cmd", "otto", "FixPaymentRq");

    /// <summary>The source system's answer to a fix, keyed by the request's idempotency key.</summary>
    public string FixPaymentRs => Name("cmd", "otto", "FixPaymentRs");

    /// <summary>Otto's flags, consumed by the owning systems.</summary>
    public string PaymentFlagged => Name("fct", "otto", "PaymentFlagged");

    /// <summary>A flag's condition resolved.</summary>
    public string PaymentFlagCleared => Name("fct", "otto", "PaymentFlagCleared");

    /// <summary>GetTrnRs joined to their request and re-keyed by payment id (a hop Otto owns).</summary>
    public string RepliesByPayment => Name("cmd", "otto", "GetTrnRsByPayment");

    /// <summary>FixPaymentRs joined to their request and re-keyed by payment id (a hop Otto owns).</summary>
    public string FixRepliesByPayment => Name("cmd", "otto", "FixPaymentRsByPayment");

    /// <summary>A payment that looks like a duplicate of an earlier one, keyed by the later payment's id (a hop Otto owns).</summary>
    public string DuplicateSuspected => Name("fct", "otto", "DuplicateSuspected");

    /// <summary>Records Otto could not read or process, with the reason in headers.</summary>
    public string DeadLetter => $"pc.{Env}.pmt.dlq.otto";

    /// <summary>Topics the source systems write and Otto reads (all keyed by payment id, so co-partitioned),
    /// plus the replies keyed by correlation id.</summary>
    public IReadOnlyList<string> Inputs => [PaymentAdded, PaymentStatusChanged, PaymentCancelled, TrnAdded, PaymentSettled, LimitsUpdated, GetTrnRs, FixPaymentRs];

    /// <summary>Every topic of the topology except its changelogs and repartition topics.</summary>
    public IReadOnlyList<string> All => [.. Catalog.Select(t => t.Name)];

    /// <summary>The topic catalog: every topic the topology reads or writes, except its changelogs and
    /// repartition topics (which the topology description lists).</summary>
    public IReadOnlyList<TopicSpec> Catalog =>
    [
        new(PaymentAdded, "payment id", "Otto.Contracts.Cpr.PaymentAdded", "CPR (PaymentRepo)", "A payment was added."),
        new(PaymentStatusChanged, "payment id", "Otto.Contracts.Cpr.PaymentStatusChanged", "CPR (PaymentRepo)", "A payment's status changed."),
        new(PaymentCancelled, "payment id", "Otto.Contracts.Cpr.PaymentCancelled", "CPR (PaymentRepo)", "A payment was cancelled."),
        new(TrnAdded, "payment id", "Otto.Contracts.Wso2.TrnAdded", "WSO2", "The core booked the payment's transaction."),
        new(PaymentSettled, "payment id", "Otto.Contracts.Recon.PaymentSettled", "SettlementRecon", "A (partial) settlement matched the payment."),
        new(LimitsUpdated, "payment id", "Otto.Contracts.Limits.LimitsUpdated", "PaymentRepo.Limits", "Limits consumed or restored for the payment."),
        new(Accounts, "account id", "Otto.Contracts.Reference.Account", "Reference data", "Account status and limits; a global table on every instance."),
        new(GetTrnRq, "correlation id", "Otto.Contracts.Otto.GetTrnRq", "Otto", "Suspender: asks the core for the truth; read back as the table of requests.", "WSO2"),
        new(GetTrnRs, "correlation id", "Otto.Contracts.Otto.GetTrnRs", "WSO2", "The core's answer, joined back by correlation id."),
        new(FixPaymentRq, "idempotency key", "Otto.Contracts.Otto.FixPaymentRq", "Otto", "Fixer: a command with intent; read back as the table of fixes."),
        new(FixPaymentRs, "idempotency key", "Otto.Contracts.Otto.FixPaymentRs", "CPR, WSO2, SettlementRecon, PaymentRepo.Limits", "The answer to a fix, joined back by idempotency key."),
        new(PaymentFlagged, "payment id", "Otto.Contracts.Otto.PaymentFlagged", "Otto", "An integrity problem, once per rule episode.", "the owning source systems"),
        new(PaymentFlagCleared, "payment id", "Otto.Contracts.Otto.PaymentFlagCleared", "Otto", "A flag's condition resolved.", "the owning source systems"),
        new(RepliesByPayment, "payment id", "Otto.Contracts.Otto.GetTrnRs", "Otto", "GetTrnRs joined to its request, re-keyed by payment id."),
        new(FixRepliesByPayment, "payment id", "Otto.Contracts.Otto.FixPaymentRs", "Otto", "FixPaymentRs joined to its request, re-keyed by payment id."),
        new(DuplicateSuspected, "payment id", "Otto.Contracts.Otto.DuplicateSuspected", "Otto", "The duplicate detector's finding, re-keyed by the later payment's id."),
        new(DeadLetter, "original key", "bytes", "Otto", "Records Otto could not read or process; reason, source topic, partition and offset in headers.", "operators"),
    ];
}
