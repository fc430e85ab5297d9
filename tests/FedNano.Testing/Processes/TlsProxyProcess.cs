using System.Diagnostics;

namespace FedNano.Testing;

/// <summary>
/// nginx as the https front of a plain-http peer — how Orthanc is deployed with TLS in practice (its own civetweb TLS
/// in the Debian 12 build, 1.10.1 against OpenSSL 3, crashes on the first handshake). Started as a real process with a
/// private prefix directory, a server certificate from a <see cref="TestPki"/>, and optionally client certificates
/// required (mutual TLS) and checked against that PKI's CA. Streams both ways without buffering, like a production
/// DICOMweb proxy.
/// </summary>
public sealed class TlsProxyProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly TempDirectory _directory;
    private bool _disposed;

    private TlsProxyProcess(ChildProcess process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The https port on loopback.</summary>
    public int Port { get; }

    /// <summary><c>https://127.0.0.1:{port}</c>.</summary>
    public string Root => $"https://127.0.0.1:{Port}";

    /// <summary>nginx's captured output (tail).</summary>
    public string OutputTail(int maxChars = 6000) => _process.OutputTail(maxChars);

    /// <summary>The nginx binary, or null (the reason is in <paramref name="reason"/>).</summary>
    public static string? FindExecutable(out string reason)
    {
        var exe = PeerTool.FindOnPath("nginx", "/usr/sbin", "/usr/local/sbin");
        reason = exe is null ? "'nginx' is not installed (apt-get install nginx-light)." : "";
        return exe;
    }

    /// <summary>Starts nginx on a free loopback port, proxying https to <paramref name="upstream"/> (e.g. <c>http://127.0.0.1:8042</c>).</summary>
    /// <param name="executable">The nginx binary.</param>
    /// <param name="upstream">The plain-http peer behind it.</param>
    /// <param name="pki">Where the server certificate and the client CA come from.</param>
    /// <param name="requireClientCertificate">Refuse clients without a certificate issued by <paramref name="pki"/>'s CA.</param>
    public static async Task<TlsProxyProcess> StartAsync(string executable, string upstream, TestPki pki, bool requireClientCertificate)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var directory = new TempDirectory("nginx");
            Directory.CreateDirectory(directory.Combine("logs"));
            Directory.CreateDirectory(directory.Combine("temp"));
            var port = ChildProcess.FreePort();
            var verify = requireClientCertificate
                ? $"ssl_client_certificate {pki.CaPem};\n        ssl_verify_client on;\n        ssl_verify_depth 2;"
                : "";
            var temp = directory.Combine("temp");
            var config = $$"""
                worker_processes 1;
                pid {{directory.Combine("nginx.pid")}};
                error_log stderr info;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path {{temp}}/body;
                    proxy_temp_path {{temp}}/proxy;
                    fastcgi_temp_path {{temp}}/fastcgi;
                    uwsgi_temp_path {{temp}}/uwsgi;
                    scgi_temp_path {{temp}}/scgi;
                    server {
                        listen 127.0.0.1:{{port}} ssl;
                        ssl_certificate {{pki.ServerCertificateAndKeyPem}};
                        ssl_certificate_key {{pki.ServerCertificateAndKeyPem}};
                        ssl_protocols TLSv1.2 TLSv1.3;
                        {{verify}}
                        client_max_body_size 0;
                        location / {
                            proxy_pass {{upstream.TrimEnd('/')}};
                            proxy_http_version 1.1;
                            proxy_request_buffering off;
                            proxy_buffering off;
                            proxy_read_timeout 300s;
                            proxy_set_header Host $host;
                        }
                    }
                }
                """;
            var configPath = directory.Combine("nginx.conf");
            await File.WriteAllTextAsync(configPath, config).ConfigureAwait(false);
            var child = ChildProcess.Start("nginx", executable, ["-p", directory.Path + "/", "-c", configPath, "-g", "daemon off; master_process off;"],
                workingDirectory: directory.Path);
            var proxy = new TlsProxyProcess(child, directory, port);
            try
            {
                await proxy.WaitListeningAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
                return proxy;
            }
            catch (Exception ex)
            {
                last = ex;
                var output = child.Output;
                await proxy.DisposeAsync().ConfigureAwait(false);
                if (!output.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)) break;
            }
        }
        throw last!;
    }

    private async Task WaitListeningAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode} before listening.\n{_process.OutputTail()}");
            try
            {
                using var socket = new System.Net.Sockets.TcpClient();
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, Port).ConfigureAwait(false);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
            await Task.Delay(50).ConfigureAwait(false);
        }
        throw new TimeoutException($"nginx did not listen on {Port} within {timeout.TotalSeconds} s.\n{_process.OutputTail()}");
    }

    /// <summary>Stops nginx and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _process.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process.Dispose();
        _directory.Dispose();
    }
}
