using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace HipaaAnalyzers.Runtime.Kafka.Tests;

/// <summary>
/// librdkafka's built-in mock cluster (the C API <c>rd_kafka_mock_*</c>, which Confluent.Kafka does not wrap): brokers
/// that speak the Kafka protocol inside this process, listening on 127.0.0.1 only. Not a real Kafka: it keeps records in
/// memory, and replication and <c>min.insync.replicas</c> are simulated, but produce, acknowledgements, idempotence,
/// leaders and broker outages behave as the protocol says. Clients of this and other processes reach it through
/// <see cref="BootstrapServers"/>.
/// </summary>
internal sealed class MockKafkaCluster : IDisposable
{
    private const string Library = "librdkafka";
    private readonly IntPtr _client;
    private readonly IntPtr _cluster;

    static MockKafkaCluster()
    {
        // Confluent.Kafka loads librdkafka from the librdkafka.redist package; these imports use that very library.
        _ = Confluent.Kafka.Library.Version;
        NativeLibrary.SetDllImportResolver(typeof(MockKafkaCluster).Assembly, (name, assembly, path) =>
        {
            if (name != Library)
            {
                return IntPtr.Zero;
            }

            // The same candidates, in the same order, as Confluent.Kafka's loader: the generic build needs libsasl2.so.3,
            // which Debian 12 lacks, and the CentOS 8 build carries its dependencies.
            string native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64", "native");
            foreach (string candidate in new[] { "librdkafka.so", "centos8-librdkafka.so" })
            {
                if (NativeLibrary.TryLoad(Path.Combine(native, candidate), out IntPtr handle))
                {
                    return handle;
                }
            }

            return IntPtr.Zero;
        });
    }

    public MockKafkaCluster(int brokers = 3)
    {
        var error = new StringBuilder(512);
        IntPtr conf = rd_kafka_conf_new();
        rd_kafka_conf_set(conf, "log_level", "3", error, (UIntPtr)error.Capacity);   // no notice about the missing bootstrap.servers: this handle only hosts the cluster
        _client = rd_kafka_new(0, conf, error, (UIntPtr)error.Capacity);
        if (_client == IntPtr.Zero)
        {
            throw new InvalidOperationException("rd_kafka_new failed: " + error);
        }

        _cluster = rd_kafka_mock_cluster_new(_client, brokers);
        if (_cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(_client);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed.");
        }

        BootstrapServers = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(_cluster))!;
        if (BootstrapServers.Split(',').Any(server => !server.StartsWith("127.0.0.1:", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("The mock cluster does not listen on 127.0.0.1 only: " + BootstrapServers);
        }
    }

    /// <summary>Gets the brokers' addresses, all 127.0.0.1.</summary>
    public string BootstrapServers { get; }

    public void CreateTopic(string topic, int partitions = 1, int replicationFactor = 3)
    {
        Check(rd_kafka_mock_topic_create(_cluster, topic, partitions, replicationFactor), "rd_kafka_mock_topic_create");
        for (int partition = 0; partition < partitions; partition++)
        {
            Check(rd_kafka_mock_partition_set_leader(_cluster, topic, partition, 1), "rd_kafka_mock_partition_set_leader");
        }
    }

    /// <summary>Takes a broker down: its connections are closed and new ones refused until <see cref="BrokerUp"/>.</summary>
    public void BrokerDown(int brokerId) => Check(rd_kafka_mock_broker_set_down(_cluster, brokerId), "rd_kafka_mock_broker_set_down");

    public void BrokerUp(int brokerId) => Check(rd_kafka_mock_broker_set_up(_cluster, brokerId), "rd_kafka_mock_broker_set_up");

    public void Dispose()
    {
        rd_kafka_mock_cluster_destroy(_cluster);
        rd_kafka_destroy(_client);
    }

    private static void Check(int error, string function)
    {
        if (error != 0)
        {
            throw new InvalidOperationException(function + " failed with librdkafka error " + error);
        }
    }

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_conf_new();

    [DllImport(Library)]
    private static extern int rd_kafka_conf_set(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, StringBuilder errstr, UIntPtr errstrSize);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_new(int type, IntPtr conf, StringBuilder errstr, UIntPtr errstrSize);

    [DllImport(Library)]
    private static extern void rd_kafka_destroy(IntPtr client);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_mock_cluster_new(IntPtr client, int brokers);

    [DllImport(Library)]
    private static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);

    [DllImport(Library)]
    private static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_topic_create(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_partition_set_leader(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partition, int brokerId);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [DllImport(Library)]
    private static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
}
