namespace Otto.Streams.Avro.Registry;

/// <summary>One version of a subject.</summary>
/// <param name="Subject">The subject, e.g. "pc.qa.pmt.fct.cpr.PaymentAdded-value".</param>
/// <param name="Version">The version within the subject, from 1.</param>
/// <param name="Id">The registry-wide schema id (what the wire format carries).</param>
/// <param name="Schema">The schema JSON.</param>
public sealed record RegisteredSchema(string Subject, int Version, int Id, string Schema);
