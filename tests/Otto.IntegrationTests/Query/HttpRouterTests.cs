using System.Collections.Specialized;
using Otto.Streams.Worker.Hosting;

namespace Otto.IntegrationTests.Query;

/// <summary>The worker's small HTTP router: placeholders, decoding, 404 and 405.</summary>
public class HttpRouterTests
{
    private static readonly HttpRouter Router = new HttpRouter()
        .MapGet("/payments/{id}", r => HttpReply.Text(200, "payment " + r.RouteValues["id"]))
        .MapGet("/flags", r => HttpReply.Text(200, "flags open=" + r.Query["open"]));

    private static HttpReply Dispatch(string method, string path, string query = "") =>
        Router.DispatchAsync(new HttpRequestData(method, path, System.Web.HttpUtility.ParseQueryString(query), new NameValueCollection()), default).Result;

    [Theory]
    [InlineData("/payments/p-1", "payment p-1")]
    [InlineData("/payments/p%2F1%20x", "payment p/1 x")]
    [InlineData("/payments/p-1/", "payment p-1")]
    [InlineData("/flags", "flags open=")]
    public void Routes_match_segment_by_segment_and_decode_placeholders(string path, string body)
    {
        var reply = Dispatch("GET", path);
        Assert.Equal((200, body), (reply.Status, reply.Body));
    }

    [Fact]
    public void Query_parameters_reach_the_handler() => Assert.Equal("flags open=true", Dispatch("GET", "/flags", "?open=true").Body);

    [Theory]
    [InlineData("/payments")]
    [InlineData("/payments/p-1/history")]
    [InlineData("/nothing")]
    public void Unknown_paths_are_404_listing_the_routes(string path)
    {
        var reply = Dispatch("GET", path);
        Assert.Equal(404, reply.Status);
        Assert.Contains("/payments/{id}", reply.Body);
    }

    [Fact]
    public void A_known_path_with_another_method_is_405() => Assert.Equal(405, Dispatch("POST", "/flags").Status);
}
