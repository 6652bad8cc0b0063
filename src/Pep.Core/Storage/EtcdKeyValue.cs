using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pep.Core.Storage;

/// <summary>
/// A connection to an etcd v3 cluster through dotnet-etcd, balanced over every member given. Each operation
/// has a time budget: transient failures (a member gone, a leader election) are retried on another member
/// within it; past it the operation throws <see cref="StoreUnavailableException"/>. HTTP/2 keep-alive pings
/// notice a member that vanished without closing its connections, and reconnection backs off to at most
/// two seconds, so the instance recovers by itself soon after etcd returns.
/// </summary>
public sealed class EtcdKeyValue : IVersionedKeyValue, IDisposable
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    private readonly GrpcChannel _channel;
    private readonly EtcdClient _client;
    private readonly string? _username;
    private readonly string? _password;
    private readonly TimeSpan _budget;
    private readonly Lock _tokenLock = new();
    private Metadata? _authentication;

    public EtcdKeyValue(EtcdConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Endpoints.Count == 0)
        {
            throw new ArgumentException("At least one etcd endpoint is required.", nameof(options));
        }

        bool secure = options.Endpoints.All(e => e.Scheme == Uri.UriSchemeHttps);
        if (!secure && options.Endpoints.Any(e => e.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException("etcd endpoints are all http:// or all https://.", nameof(options));
        }

        _username = options.Username;
        _password = options.Password;
        _budget = options.OperationTimeout;
        BalancerAddress[] members = options.Endpoints.Select(e => new BalancerAddress(e.Host, e.Port)).ToArray();
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => members));
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = AttemptTimeout,
            // A member whose host vanished sends no reset: pings notice it within 9 s. etcd refuses pings
            // closer than 5 s apart (--grpc-keepalive-min-time), hence 6 s.
            KeepAlivePingDelay = TimeSpan.FromSeconds(6),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(3),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
        };
        if (secure)
        {
            X509Certificate2Collection? authorities = options.CertificateAuthorities;
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = options.ClientCertificate is { } client ? [client] : null,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrustedMember(certificate, errors, authorities),
            };
        }

        // static://<name>: the name is the TLS server name every member's certificate must carry.
        _channel = GrpcChannel.ForAddress($"static://{options.TlsServerName}", new GrpcChannelOptions
        {
            Credentials = secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            HttpHandler = handler,
            DisposeHttpClient = true,
            ServiceProvider = services.BuildServiceProvider(),
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(250),
            MaxReconnectBackoff = TimeSpan.FromSeconds(2),
        });
        _client = new EtcdClient(_channel.CreateCallInvoker());
    }

    /// <summary>True when the cluster answers a linearizable read within <paramref name="timeout"/> (it has a quorum).</summary>
    public bool IsReachable(TimeSpan timeout)
    {
        try
        {
            Call("a health check", timeout, (headers, deadline) => _client.Get(new RangeRequest { Key = ByteString.CopyFromUtf8("/pep-health"), CountOnly = true }, headers, deadline));
            return true;
        }
        catch (StoreUnavailableException)
        {
            return false;
        }
    }

    VersionedValue? IVersionedKeyValue.Get(string key)
    {
        RangeResponse response = Call("a read", _budget, (headers, deadline) => _client.Get(new RangeRequest { Key = ByteString.CopyFromUtf8(key) }, headers, deadline));
        return response.Kvs.Count == 0 ? null : new VersionedValue(response.Kvs[0].Value.ToByteArray(), response.Kvs[0].ModRevision);
    }

    IReadOnlyList<KeyValuePair<string, VersionedValue>> IVersionedKeyValue.GetPrefix(string prefix)
    {
        var request = new RangeRequest { Key = ByteString.CopyFromUtf8(prefix), RangeEnd = ByteString.CopyFromUtf8(EtcdClient.GetRangeEnd(prefix)) };
        RangeResponse response = Call("a read", _budget, (headers, deadline) => _client.Get(request, headers, deadline));
        return response.Kvs
            .Select(kv => new KeyValuePair<string, VersionedValue>(kv.Key.ToStringUtf8(), new VersionedValue(kv.Value.ToByteArray(), kv.ModRevision)))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToList();
    }

    bool IVersionedKeyValue.Commit(IReadOnlyList<RevisionCondition> conditions, IReadOnlyList<KeyWrite> writes)
    {
        var request = new TxnRequest();
        foreach (RevisionCondition condition in conditions)
        {
            request.Compare.Add(new Compare
            {
                Key = ByteString.CopyFromUtf8(condition.Key),
                Target = Compare.Types.CompareTarget.Mod,
                Result = Compare.Types.CompareResult.Equal,
                ModRevision = condition.ModRevision,
            });
        }

        foreach (KeyWrite write in writes)
        {
            request.Success.Add(write.Value is { } value
                ? new RequestOp { RequestPut = new PutRequest { Key = ByteString.CopyFromUtf8(write.Key), Value = ByteString.CopyFrom(value) } }
                : new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = ByteString.CopyFromUtf8(write.Key) } });
        }

        return Call("a transaction", _budget, (headers, deadline) => _client.Transaction(request, headers, deadline)).Succeeded;
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>
    /// Runs one call, retried on transient failures until <paramref name="budget"/> is spent. A rejected
    /// authentication token (expired) is renewed once.
    /// </summary>
    private T Call<T>(string what, TimeSpan budget, Func<Metadata?, DateTime, T> call)
    {
        var clock = Stopwatch.StartNew();
        bool renewed = false;
        RpcException? last = null;
        while (clock.Elapsed < budget)
        {
            TimeSpan attempt = TimeSpan.FromTicks(Math.Min(AttemptTimeout.Ticks, (budget - clock.Elapsed).Ticks));
            try
            {
                Metadata? headers = Authentication(renew: false, budget - clock.Elapsed);
                return call(headers, DateTime.UtcNow + attempt);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated && _username is not null && !renewed)
            {
                renewed = true;
                Authentication(renew: true, budget - clock.Elapsed);
            }
            catch (RpcException e) when (IsTransient(e.StatusCode))
            {
                last = e;
                TimeSpan pause = TimeSpan.FromMilliseconds(Math.Min(250, 50 * (1 + clock.Elapsed.TotalSeconds)));
                if (clock.Elapsed + pause < budget)
                {
                    Thread.Sleep(pause);
                }
            }
            catch (RpcException e)
            {
                throw new StoreUnavailableException($"etcd refused {what}: {e.StatusCode} ({e.Status.Detail}).", e);
            }
        }

        throw new StoreUnavailableException(
            $"etcd did not answer {what} within {budget.TotalSeconds:0.#} s ({last?.StatusCode.ToString() ?? "no attempt finished"}).", last!);
    }

    /// <summary>The token header for password authentication (null without it), fetched once and renewed when etcd rejects it.</summary>
    private Metadata? Authentication(bool renew, TimeSpan budget)
    {
        if (_username is null)
        {
            return null;
        }

        lock (_tokenLock)
        {
            if (_authentication is not null && !renew)
            {
                return _authentication;
            }
        }

        try
        {
            AuthenticateResponse response = _client.Authenticate(new AuthenticateRequest { Name = _username, Password = _password ?? "" },
                null, DateTime.UtcNow + TimeSpan.FromTicks(Math.Min(AttemptTimeout.Ticks, Math.Max(budget.Ticks, TimeSpan.FromMilliseconds(100).Ticks))));
            var headers = new Metadata { { "token", response.Token } };
            lock (_tokenLock)
            {
                _authentication = headers;
            }

            return headers;
        }
        catch (RpcException e) when (!IsTransient(e.StatusCode))
        {
            throw new StoreUnavailableException($"etcd refused the login of user '{_username}': {e.StatusCode} ({e.Status.Detail}).", e);
        }
    }

    private static bool IsTransient(StatusCode code)
        => code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Aborted;

    /// <summary>
    /// The member's certificate must carry the configured server name and chain to the configured CA
    /// (or, without one, to the system's trust store).
    /// </summary>
    private static bool IsTrustedMember(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? authorities)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        if (authorities is null || authorities.Count == 0)
        {
            return errors == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var member = new X509Certificate2(certificate);
        return chain.Build(member);
    }
}
