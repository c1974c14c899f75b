namespace Otto.Payments.Model;

/// <summary>A fact that is schema-valid but makes no sense (a non-positive amount, no currency, a record
/// keyed by another payment id). The payment processor throws it before touching the model, so the engine dead-letters the
/// record with this message and the model stays as it was.</summary>
public sealed class InvalidFactException(string message) : Exception(message);
