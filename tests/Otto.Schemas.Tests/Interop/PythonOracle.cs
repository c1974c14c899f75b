using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Otto.Schemas.Tests.Interop;

/// <summary>
/// The Apache Avro reference implementation (Debian's python3-avro 1.11.1) as a long-lived subprocess: one per
/// test class (xunit class fixture), one JSON line per request, so interop cases stay fast.
/// </summary>
public sealed class PythonOracle : IDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();

    public PythonOracle()
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-u", Path.Combine(AppContext.BaseDirectory, "avro_oracle.py")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
    }

    /// <summary>Sends a request; returns the response or fails the test with the reference implementation's error.</summary>
    public JsonObject Call(object request)
    {
        var response = TryCall(request);
        return response["ok"]!.GetValue<bool>()
            ? response
            : throw new Xunit.Sdk.XunitException($"reference implementation failed: {response["error"]}");
    }

    /// <summary>Sends a request; the response may be an error ("ok": false).</summary>
    public JsonObject TryCall(object request)
    {
        lock (_lock)
        {
            _process.StandardInput.WriteLine(JsonSerializer.Serialize(request));
            _process.StandardInput.Flush();
            var line = _process.StandardOutput.ReadLine()
                ?? throw new InvalidOperationException($"python oracle exited: {_process.StandardError.ReadToEnd()}");
            return JsonNode.Parse(line)!.AsObject();
        }
    }

    public string Encode(string schema, JsonNode? value) => Call(new { op = "encode", schema, value })["hex"]!.GetValue<string>();

    public JsonNode? Decode(string schema, byte[] bytes, string? reader = null) =>
        Call(new { op = "decode", schema, hex = Hex.Of(bytes), reader })["value"];

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000)) _process.Kill();
        _process.Dispose();
    }
}
