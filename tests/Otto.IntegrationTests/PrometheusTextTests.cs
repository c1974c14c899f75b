namespace Otto.IntegrationTests;

/// <summary>The /metrics reader the tests and `./otto bench scale-out` count applied facts with.</summary>
public class PrometheusTextTests
{
    // As OpenTelemetry's exporter writes it (README, Metrics and health), with a timestamp on one sample.
    private const string Scrape = """
        # TYPE otto_payments_facts_total counter
        otto_payments_facts_total{otel_scope_name="Otto.Payments",outcome="applied"} 284
        otto_payments_facts_total{otel_scope_name="Otto.Payments",outcome="duplicate"} 16 1764785632123
        otto_payments_facts_total_other{otel_scope_name="Otto.Payments"} 1000
        streamiz_stream_state{otel_scope_name="Streamiz.Kafka.Net",application_id="otto"} 1
        target_info{service_name="otto"} 1
        # EOF
        """;

    [Fact]
    public void Sum_adds_every_label_set_of_the_series_and_nothing_else() =>
        Assert.Equal(300, PrometheusText.Sum(Scrape, "otto_payments_facts_total"));

    [Fact]
    public void Sum_reads_a_series_without_labels_and_a_value_in_exponent_form() =>
        Assert.Equal(12_500, PrometheusText.Sum("up 1\nprocess_cpu_seconds_total 1.25e4\n", "process_cpu_seconds_total"));

    [Fact]
    public void Sum_is_0_before_the_series_exists() =>
        Assert.Equal(0, PrometheusText.Sum(Scrape, "otto_payments_flags_total"));
}
