using System.Globalization;
using Confluent.Kafka;

namespace Otto.Streams.Runtime;

/// <summary>
/// The <c>.checkpoint</c> file of a task directory: for each changelog partition of the task's persistent
/// stores, the offset up to which the store on disk holds the changelog (the next offset to restore from).
/// Text, as Kafka Streams': a version line, a count line, then "topic partition offset" lines. Written to a
/// temporary file and renamed over the old one, so a reader sees the old or the new file, never half of one.
/// </summary>
internal static class OffsetCheckpoint
{
    public const string FileName = ".checkpoint";
    private const int Version = 0;

    /// <summary>The checkpointed offsets, or null when there is no checkpoint file.</summary>
    /// <exception cref="FormatException">The file is not a checkpoint (corrupt, truncated, foreign).</exception>
    public static Dictionary<TopicPartition, long>? Read(string taskDirectory)
    {
        var path = Path.Combine(taskDirectory, FileName);
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path);
        if (lines.Length < 2 || lines[0] != Version.ToString(CultureInfo.InvariantCulture))
            throw new FormatException($"{path} does not start with checkpoint version {Version}.");
        if (!int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count != lines.Length - 2)
            throw new FormatException($"{path} announces '{lines[1]}' entries but holds {lines.Length - 2}.");
        var offsets = new Dictionary<TopicPartition, long>();
        foreach (var line in lines.Skip(2))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3 || parts[0].Length == 0
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                throw new FormatException($"{path} has a malformed entry '{line}'.");
            offsets[new TopicPartition(parts[0], partition)] = offset;
        }
        return offsets;
    }

    public static void Write(string taskDirectory, IReadOnlyDictionary<TopicPartition, long> offsets)
    {
        var path = Path.Combine(taskDirectory, FileName);
        var lines = new List<string> { Version.ToString(CultureInfo.InvariantCulture), offsets.Count.ToString(CultureInfo.InvariantCulture) };
        lines.AddRange(offsets.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key.Topic} {o.Key.Partition.Value} {o.Value}")));
        var temporary = path + ".tmp";
        File.WriteAllLines(temporary, lines);
        File.Move(temporary, path, overwrite: true);
    }

    public static void Delete(string taskDirectory) => File.Delete(Path.Combine(taskDirectory, FileName));
}
