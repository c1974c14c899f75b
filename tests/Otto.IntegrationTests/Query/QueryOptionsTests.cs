using Otto.Streams.Worker.Configuration;
using Otto.Streams.Worker.Hosting;

namespace Otto.IntegrationTests.Query;

/// <summary>Where the read side listens and what it advertises to the other instances (the instance directory).</summary>
public class QueryOptionsTests
{
    [Fact]
    public void By_default_the_read_side_shares_the_metrics_endpoint_and_advertises_the_port_bound()
    {
        var options = new OttoOptions();
        Assert.True(options.Query.SharesMetricsEndpoint(options.Metrics));
        var bindings = HttpBindings.From(options);
        Assert.Same(bindings.Metrics, bindings.ReadSide);
        Assert.Equal([HttpSide.Metrics, HttpSide.ReadSide], bindings.ReadSide!.Sides.Order());
        Assert.Equal(new Uri("http://127.0.0.1:9464/"), options.Query.Advertised(options.Metrics, 9464));
        // Port 0: what Kestrel bound is what the others are told.
        Assert.Equal(new Uri("http://127.0.0.1:41234/"), new OttoOptions { Metrics = { Port = 0 } }.Query.Advertised(new MetricsOptions { Port = 0 }, 41234));
    }

    [Fact]
    public void A_port_of_its_own_gives_a_listener_of_its_own_on_its_host()
    {
        var options = new OttoOptions { Query = { Port = 9500, Host = "0.0.0.0", ApiKey = "k" } };
        Assert.False(options.Query.SharesMetricsEndpoint(options.Metrics));
        Assert.Equal(("0.0.0.0", 9500), options.Query.Binding(options.Metrics));
        var bindings = HttpBindings.From(options);
        Assert.Equal(2, bindings.All.Count);
        Assert.Equal([HttpSide.ReadSide], bindings.ReadSide!.Sides);
        Assert.Equal([HttpSide.Metrics], bindings.Metrics!.Sides);
        // Bound to every interface: the others reach it by the machine's name.
        Assert.Equal(new Uri($"http://{System.Net.Dns.GetHostName()}:9500/"), options.Query.Advertised(options.Metrics, 9500));
    }

    [Fact]
    public void Port_0_for_the_read_side_is_a_listener_of_its_own_even_beside_metrics_on_port_0()
    {
        var options = new OttoOptions { Metrics = { Port = 0 }, Query = { Port = 0 } };
        Assert.False(options.Query.SharesMetricsEndpoint(options.Metrics));
        Assert.Equal(2, HttpBindings.From(options).All.Count);
        // The metrics port named again is sharing it.
        Assert.True(new OttoOptions { Query = { Port = 9464 } }.Query.SharesMetricsEndpoint(new MetricsOptions()));
    }

    [Fact]
    public void The_advertised_url_wins_and_disabled_means_no_read_side_listener()
    {
        var options = new OttoOptions { Query = { AdvertisedUrl = "http://otto-2.otto.svc:8080/" } };
        Assert.Equal(new Uri("http://otto-2.otto.svc:8080/"), options.Query.Advertised(options.Metrics, 41234));
        Assert.Throws<ArgumentException>(() => new OttoOptions { Query = { AdvertisedUrl = "otto-2:8080" } }.Query.Advertised(new MetricsOptions(), 1));
        var local = HttpBindings.From(new OttoOptions { Query = { Enabled = false } });
        Assert.Null(local.ReadSide);
        Assert.Equal([HttpSide.Metrics], local.Metrics!.Sides);
        Assert.Empty(HttpBindings.From(new OttoOptions { Query = { Enabled = false }, Metrics = { Enabled = false } }).All);
    }

    [Fact]
    public void Without_a_metrics_endpoint_the_read_side_listens_on_its_own()
    {
        var options = new OttoOptions { Metrics = { Enabled = false } };
        Assert.False(options.Query.SharesMetricsEndpoint(options.Metrics));
        Assert.Equal(("127.0.0.1", 9464), options.Query.Binding(options.Metrics));
        Assert.Null(HttpBindings.From(options).Metrics);
    }

    [Theory]
    [InlineData("localhost", "127.0.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("+", "0.0.0.0")]
    [InlineData("::1", "::1")]
    [InlineData("otto.example", null)]
    public void Hosts_are_addresses_to_listen_on(string host, string? address) =>
        Assert.Equal(address, HttpBinding.ParseAddress(host)?.ToString());
}
