using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;
using Otto.Streams.Worker.Query;

namespace Otto.IntegrationTests.Query;

/// <summary>Where the read side listens and what it advertises to the other instances (the instance directory).</summary>
public class QueryOptionsTests
{
    [Fact]
    public void By_default_the_read_side_shares_the_metrics_endpoint_and_advertises_it()
    {
        var options = new OttoOptions();
        Assert.True(options.Query.SharesMetricsEndpoint(options.Metrics));
        Assert.Equal("127.0.0.1:9464", options.Query.ApplicationServer(options.Metrics));
        using var queries = PaymentQueries.Create(new StreamStatus(), options);
        Assert.Equal(new Uri("http://127.0.0.1:9464/"), queries.Directory!.Self);
    }

    [Fact]
    public void A_port_of_its_own_gives_a_listener_of_its_own_on_its_host()
    {
        var options = new OttoOptions { Query = { Port = 9500, Host = "0.0.0.0" } };
        Assert.False(options.Query.SharesMetricsEndpoint(options.Metrics));
        Assert.Equal(("0.0.0.0", 9500), options.Query.Binding(options.Metrics));
        // Bound to every interface: the others reach it by the machine's name.
        Assert.Equal($"{System.Net.Dns.GetHostName()}:9500", options.Query.ApplicationServer(options.Metrics));
    }

    [Fact]
    public void The_advertised_url_wins_and_disabled_means_no_application_server()
    {
        var options = new OttoOptions { Query = { AdvertisedUrl = "http://otto-2.otto.svc:8080/" } };
        Assert.Equal("otto-2.otto.svc:8080", options.Query.ApplicationServer(options.Metrics));
        Assert.Throws<ArgumentException>(() => new OttoOptions { Query = { AdvertisedUrl = "otto-2:8080" } }.Query.ApplicationServer(new MetricsOptions()));
        Assert.Null(new OttoOptions { Query = { Enabled = false } }.Query.ApplicationServer(new MetricsOptions()));
        using var local = PaymentQueries.Create(new StreamStatus(), new OttoOptions { Query = { Enabled = false } });
        Assert.Null(local.Directory);
    }

    [Fact]
    public void Without_a_metrics_endpoint_the_read_side_listens_on_its_own()
    {
        var options = new OttoOptions { Metrics = { Enabled = false } };
        Assert.False(options.Query.SharesMetricsEndpoint(options.Metrics));
        Assert.Equal(("127.0.0.1", 9464), options.Query.Binding(options.Metrics));
    }
}
