using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Otto.Streams.EmbeddedKafka;

namespace Otto.Streams.Streamiz.Kafka;

/// <summary>
/// The admin client Streamiz gets on the embedded cluster: CreateTopics, which librdkafka's mock cluster does not
/// serve (Streamiz's internal topic manager would wait ~10 minutes for it), is done with
/// <see cref="EmbeddedKafkaCluster.CreateTopic"/>; every other call goes to the real admin client.
/// </summary>
/// <remarks>
/// Streamiz 1.8's internal topic manager (DefaultTopicManager / InternalTopicManagerUtils) makes three kinds of admin
/// calls: GetMetadata(timeout) and GetMetadata(topic, timeout), which the mock answers (for an unknown topic with
/// UnknownTopicOrPart and no partitions, as long as the admin client has allow.auto.create.topics=false, which
/// <see cref="OttoKafkaSupplier"/> sees to), and
/// CreateTopicsAsync for the changelog and repartition topics it found missing. It never calls DescribeConfigsAsync.
/// Topic configs (cleanup.policy=compact, retention) are not applied: the mock has no compaction or retention.
/// </remarks>
internal sealed class EmbeddedAdminClient(IAdminClient inner, EmbeddedKafkaCluster cluster) : IAdminClient
{
    // What a broker does with NumPartitions / ReplicationFactor -1: its defaults. The mock auto-creates topics with
    // 4 partitions, so that is its num.partitions; default.replication.factor is 1 on a broker out of the box.
    private const int MockDefaultPartitions = 4;
    private const int DefaultReplicationFactor = 1;

    public Task CreateTopicsAsync(IEnumerable<TopicSpecification> topics, CreateTopicsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var reports = new List<CreateTopicReport>();
        foreach (var topic in topics)
        {
            var partitions = topic.NumPartitions > 0 ? topic.NumPartitions : MockDefaultPartitions;
            var replication = topic.ReplicationFactor > 0 ? topic.ReplicationFactor : DefaultReplicationFactor;
            var error = new Error(ErrorCode.NoError);
            try
            {
                if (options?.ValidateOnly != true)
                {
                    cluster.CreateTopic(topic.Name, partitions, replication);
                }
            }
            catch (EmbeddedKafkaException e)
            {
                error = new Error(e.Code, e.Message);
            }
            catch (ArgumentException e)
            {
                // A bad name or a replication factor above the broker count: what a broker answers with.
                var code = e is ArgumentOutOfRangeException && e.ParamName == "replicationFactor"
                    ? ErrorCode.InvalidReplicationFactor
                    : ErrorCode.InvalidRequest;
                error = new Error(code, e.Message);
            }

            reports.Add(new CreateTopicReport { Topic = topic.Name, Error = error });
        }

        // The real client fails the task with one report per topic when any topic failed.
        return reports.Exists(r => r.Error.IsError)
            ? Task.FromException(new CreateTopicsException(reports))
            : Task.CompletedTask;
    }

    // Everything below is the real admin client's.
    public Handle Handle => inner.Handle;
    public string Name => inner.Name;
    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);
    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);
    // Once only: the supplier disposes the admin clients Streamiz left open (see OttoKafkaSupplier.Dispose), and
    // Confluent's AdminClient throws on a second Dispose.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) inner.Dispose();
    }

    private int _disposed;

    public List<GroupInfo> ListGroups(TimeSpan timeout) => inner.ListGroups(timeout);
    public GroupInfo ListGroup(string group, TimeSpan timeout) => inner.ListGroup(group, timeout);
    public Metadata GetMetadata(string topic, TimeSpan timeout) => inner.GetMetadata(topic, timeout);
    public Metadata GetMetadata(TimeSpan timeout) => inner.GetMetadata(timeout);

    public Task CreatePartitionsAsync(IEnumerable<PartitionsSpecification> partitionsSpecifications, CreatePartitionsOptions? options = null) =>
        inner.CreatePartitionsAsync(partitionsSpecifications, options);
    public Task DeleteGroupsAsync(IList<string> groups, DeleteGroupsOptions? options = null) => inner.DeleteGroupsAsync(groups, options);
    public Task DeleteTopicsAsync(IEnumerable<string> topics, DeleteTopicsOptions? options = null) => inner.DeleteTopicsAsync(topics, options);
    public Task AlterConfigsAsync(Dictionary<ConfigResource, List<ConfigEntry>> configs, AlterConfigsOptions? options = null) =>
        inner.AlterConfigsAsync(configs, options);
    public Task<List<IncrementalAlterConfigsResult>> IncrementalAlterConfigsAsync(Dictionary<ConfigResource, List<ConfigEntry>> configs, IncrementalAlterConfigsOptions? options = null) =>
        inner.IncrementalAlterConfigsAsync(configs, options);
    public Task<List<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, DescribeConfigsOptions? options = null) =>
        inner.DescribeConfigsAsync(resources, options);
    public Task<List<DeleteRecordsResult>> DeleteRecordsAsync(IEnumerable<TopicPartitionOffset> topicPartitionOffsets, DeleteRecordsOptions? options = null) =>
        inner.DeleteRecordsAsync(topicPartitionOffsets, options);
    public Task CreateAclsAsync(IEnumerable<AclBinding> aclBindings, CreateAclsOptions? options = null) => inner.CreateAclsAsync(aclBindings, options);
    public Task<DescribeAclsResult> DescribeAclsAsync(AclBindingFilter aclBindingFilter, DescribeAclsOptions? options = null) =>
        inner.DescribeAclsAsync(aclBindingFilter, options);
    public Task<List<DeleteAclsResult>> DeleteAclsAsync(IEnumerable<AclBindingFilter> aclBindingFilters, DeleteAclsOptions? options = null) =>
        inner.DeleteAclsAsync(aclBindingFilters, options);
    public Task<DeleteConsumerGroupOffsetsResult> DeleteConsumerGroupOffsetsAsync(string group, IEnumerable<TopicPartition> partitions, DeleteConsumerGroupOffsetsOptions? options = null) =>
        inner.DeleteConsumerGroupOffsetsAsync(group, partitions, options);
    public Task<List<AlterConsumerGroupOffsetsResult>> AlterConsumerGroupOffsetsAsync(IEnumerable<ConsumerGroupTopicPartitionOffsets> groupPartitions, AlterConsumerGroupOffsetsOptions? options = null) =>
        inner.AlterConsumerGroupOffsetsAsync(groupPartitions, options);
    public Task<List<ListConsumerGroupOffsetsResult>> ListConsumerGroupOffsetsAsync(IEnumerable<ConsumerGroupTopicPartitions> groupPartitions, ListConsumerGroupOffsetsOptions? options = null) =>
        inner.ListConsumerGroupOffsetsAsync(groupPartitions, options);
    public Task<ListConsumerGroupsResult> ListConsumerGroupsAsync(ListConsumerGroupsOptions? options = null) => inner.ListConsumerGroupsAsync(options);
    public Task<DescribeConsumerGroupsResult> DescribeConsumerGroupsAsync(IEnumerable<string> groups, DescribeConsumerGroupsOptions? options = null) =>
        inner.DescribeConsumerGroupsAsync(groups, options);
    public Task<DescribeUserScramCredentialsResult> DescribeUserScramCredentialsAsync(IEnumerable<string> users, DescribeUserScramCredentialsOptions? options = null) =>
        inner.DescribeUserScramCredentialsAsync(users, options);
    public Task AlterUserScramCredentialsAsync(IEnumerable<UserScramCredentialAlteration> alterations, AlterUserScramCredentialsOptions? options = null) =>
        inner.AlterUserScramCredentialsAsync(alterations, options);
}
