using System.Net;
using Confluent.SchemaRegistry;
using Streamiz.Kafka.Net.Errors;

namespace Otto.Streams.SchemaRegistry;

/// <summary>
/// The Schema Registry failed in a way that is not the record's fault: unreachable, timing out, refusing the
/// credentials, erring itself, or missing a subject Otto writes while auto-registration is off. Every record would
/// fail the same way, so the worker stops with this message instead of dead-lettering its input record by record (Otto's
/// handlers treat every Streamiz <see cref="StreamsException"/> as systemic).
/// </summary>
public sealed class RegistryFailureException : StreamsException
{
    private RegistryFailureException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The failure behind <paramref name="error"/> when it is the registry's, null when it is the
    /// record's (bad bytes, an unknown schema id, a schema that cannot be resolved).</summary>
    /// <param name="error">What a serde call threw.</param>
    /// <param name="topic">The record's topic.</param>
    /// <param name="serializing">True when writing: then a subject or schema the registry lacks is a set-up
    /// problem (auto-registration off and the schema not registered), not the record's.</param>
    public static RegistryFailureException? Classify(Exception error, string topic, bool serializing)
    {
        foreach (var e in Causes(error))
        {
            switch (e)
            {
                case SchemaRegistryException { Status: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } r:
                    return new($"schema registry refused Otto's credentials ({(int)r.Status}) for topic {topic}: check Otto:SchemaRegistry:BasicAuthUserInfo / BearerToken", error);
                case SchemaRegistryException { Status: >= HttpStatusCode.InternalServerError } r:
                    return new($"schema registry failed ({(int)r.Status}, error code {r.ErrorCode}) for topic {topic}: {r.Message}", error);
                case SchemaRegistryException { ErrorCode: 40401 or 40403 } r when serializing:
                    return new($"schema registry has no matching schema under subject {topic}-value (error code {r.ErrorCode}) and Otto:SchemaRegistry:AutoRegisterSchemas is off: register Otto's schemas with `./otto schemas register --registry <url>`", error);
                case SchemaRegistryException:
                    return null; // the registry answered about this record (e.g. 40403: its schema id is unknown)
                case HttpRequestException or TaskCanceledException or TimeoutException:
                    return new($"schema registry unreachable for topic {topic}: {e.Message}", error);
            }
        }
        return null;
    }

    /// <summary><paramref name="error"/> and its inner exceptions, an aggregate's included, outermost first: where a
    /// registry failure or the registry's own answer is found in what a serde or the registry client threw.</summary>
    public static IEnumerable<Exception> Causes(Exception? error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Causes)) yield return inner;
        }
    }
}
