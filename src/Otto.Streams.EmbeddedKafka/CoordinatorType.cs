namespace Otto.Streams.EmbeddedKafka;

/// <summary>Which kind of coordinator <see cref="EmbeddedKafkaCluster.SetCoordinator"/> moves.</summary>
public enum CoordinatorType
{
    /// <summary>A consumer group's coordinator; the key is the group.id.</summary>
    Group,
    /// <summary>A transactional producer's coordinator; the key is the transactional.id.</summary>
    Transaction,
}
