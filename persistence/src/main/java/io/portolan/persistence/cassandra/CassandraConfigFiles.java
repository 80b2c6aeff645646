package io.portolan.persistence.cassandra;

import java.nio.file.Path;

/** The cassandra.yaml and logback.xml that the launcher writes for the child JVM. */
final class CassandraConfigFiles {

  static final String CLUSTER_NAME = "portolan";

  private CassandraConfigFiles() {}

  /**
   * A single-node cassandra.yaml: loopback, the given ports, every directory under {@code dataDir},
   * and settings that make a small node start fast. Keys use Cassandra 5.0 names.
   */
  static String cassandraYaml(Path dataDir, String listenAddress, int nativePort, int storagePort) {
    return """
        # Written by Portolan's CassandraLauncher on every start; edits are overwritten.
        cluster_name: '%1$s'
        num_tokens: 16
        allocate_tokens_for_local_replication_factor: 1
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: SimpleSnitch
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "%2$s:%4$d"

        listen_address: %2$s
        rpc_address: %2$s
        storage_port: %4$d
        native_transport_port: %3$d
        start_native_transport: true

        data_file_directories:
          - %5$s
        commitlog_directory: %6$s
        hints_directory: %7$s
        saved_caches_directory: %8$s
        cdc_raw_directory: %9$s

        commitlog_sync: periodic
        commitlog_sync_period: 10000ms
        commitlog_segment_size: 32MiB
        disk_failure_policy: stop
        commit_failure_policy: stop

        authenticator: AllowAllAuthenticator
        authorizer: AllowAllAuthorizer
        role_manager: CassandraRoleManager
        network_authorizer: AllowAllNetworkAuthorizer

        # A small embedded node: little memory for caches and memtables, no background repair
        # traffic, no need to wait for other nodes.
        key_cache_size: 16MiB
        counter_cache_size: 0MiB
        memtable_heap_space: 128MiB
        memtable_offheap_space: 128MiB
        concurrent_reads: 8
        concurrent_writes: 8
        concurrent_counter_writes: 8
        concurrent_compactors: 1
        hinted_handoff_enabled: false
        auto_snapshot: false
        snapshot_before_compaction: false
        dynamic_snitch: false
        """
        .formatted(
            CLUSTER_NAME,
            listenAddress,
            nativePort,
            storagePort,
            dataDir.resolve("data"),
            dataDir.resolve("commitlog"),
            dataDir.resolve("hints"),
            dataDir.resolve("saved_caches"),
            dataDir.resolve("cdc_raw"));
  }

  /** Cassandra's own log goes to {@code logDir/system.log}; the console only gets warnings. */
  static String logbackXml(Path logDir) {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Written by Portolan's CassandraLauncher on every start. -->
        <configuration>
          <appender name="SYSTEMLOG" class="ch.qos.logback.core.rolling.RollingFileAppender">
            <file>%1$s/system.log</file>
            <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
              <fileNamePattern>%1$s/system.log.%%i.zip</fileNamePattern>
              <minIndex>1</minIndex>
              <maxIndex>5</maxIndex>
            </rollingPolicy>
            <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
              <maxFileSize>20MB</maxFileSize>
            </triggeringPolicy>
            <encoder>
              <pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern>
            </encoder>
          </appender>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <filter class="ch.qos.logback.classic.filter.ThresholdFilter">
              <level>WARN</level>
            </filter>
            <encoder>
              <pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern>
            </encoder>
          </appender>
          <root level="INFO">
            <appender-ref ref="SYSTEMLOG"/>
            <appender-ref ref="STDOUT"/>
          </root>
        </configuration>
        """
        .formatted(logDir);
  }
}
