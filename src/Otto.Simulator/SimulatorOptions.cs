namespace Otto.Simulator;

/// <summary>What a simulation run publishes, how fast, and which anomalies it injects.</summary>
public sealed record SimulatorOptions
{
    /// <summary>The seed used when none is given, so that runs repeat.</summary>
    public const int DefaultSeed = 20260101;

    /// <summary>How many payments CPR publishes.</summary>
    public int Payments { get; init; } = 100;

    /// <summary>The share of payments that are injected anomalies, dealt evenly over <see cref="PaymentKinds.Anomalies"/>.</summary>
    public double AnomalyRate { get; init; } = 0.2;

    /// <summary>The share of the non-anomalies that look suspicious for a while but are fine (slow but consistent,
    /// failed with limits restored, cancelled; see <see cref="PaymentKinds.Benign"/>): Otto must not flag them.</summary>
    public double BenignShare { get; init; } = 0.15;

    /// <summary>How long before the first payment the reference data (every debtor account) is published, so Otto's
    /// global account table holds it when the payments arrive, as it would in production.</summary>
    public TimeSpan AccountsLead { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seeds every random draw (kinds, rails, amounts, duplicates), so a run repeats.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>How many payments start per second; 0 or less: as fast as possible.</summary>
    public double PaymentsPerSecond { get; init; } = 200;

    /// <summary>The pause between two lifecycle facts of the same payment.</summary>
    public TimeSpan StepDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The share of facts (of every source system) sent a second time with the same event id (Otto must apply them once).</summary>
    public double DuplicateRate { get; init; } = 0.05;

    /// <summary>How many non-Avro records to write to the PaymentAdded topic (Otto must dead-letter them).</summary>
    public int PoisonRecords { get; init; } = 2;

    /// <summary>Prefix of every payment id of this run, so several runs can share a cluster; a short random id by default.</summary>
    public string RunId { get; init; } = NewRunId();

    /// <summary>A short random run id: 6 lowercase hex digits.</summary>
    public static string NewRunId() => Guid.NewGuid().ToString("N")[..6];

    /// <summary>Throws on settings that cannot work.</summary>
    public void Validate()
    {
        if (Payments < 0) throw new ArgumentException("Payments must not be negative.");
        if (AnomalyRate is < 0 or > 1) throw new ArgumentException("AnomalyRate must be between 0 and 1.");
        if (BenignShare is < 0 or > 1) throw new ArgumentException("BenignShare must be between 0 and 1.");
        if (AccountsLead < TimeSpan.Zero) throw new ArgumentException("AccountsLead must not be negative.");
        if (DuplicateRate is < 0 or > 1) throw new ArgumentException("DuplicateRate must be between 0 and 1.");
        if (PoisonRecords < 0) throw new ArgumentException("PoisonRecords must not be negative.");
        if (StepDelay < TimeSpan.Zero) throw new ArgumentException("StepDelay must not be negative.");
        if (string.IsNullOrWhiteSpace(RunId) || RunId.Any(c => !char.IsAsciiLetterOrDigit(c)))
            throw new ArgumentException("RunId must be non-empty ASCII letters and digits.");
    }
}
