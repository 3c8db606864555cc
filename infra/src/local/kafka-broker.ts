import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { newKafkaClusterId } from './kafka-cluster-id.js';
import { resolveKafkaJars } from './kafka-jars.js';
import { spawnServer, stopProcess } from './process-control.js';
import { tcpAnswers } from './tcp-probe.js';
import { waitUntil } from './wait-until.js';

export interface LocalKafka {
  brokers: string;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

export interface LocalKafkaOptions {
  /** Working directory for config, data and log (a fresh dir gives a fresh cluster; an existing one is restarted with its data). */
  dir: string;
  port?: number;
  host?: string;
  heapMb?: number;
  partitions?: number;
}

/** The cluster id a data dir was formatted with: a restart on the same dir must reuse it or the format step refuses. */
function formattedClusterId(dataDir: string): string | undefined {
  const meta = join(dataDir, 'meta.properties');
  if (!existsSync(meta)) return undefined;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(meta, 'utf8'))?.[1]?.trim();
}

/** Starts a single-node Apache Kafka in KRaft mode (broker + controller in one JVM) and waits until it answers. */
export async function startLocalKafka(options: LocalKafkaOptions): Promise<LocalKafka> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort());
  const controllerPort = await freePort();
  const libs = resolveKafkaJars();
  const dataDir = join(options.dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const properties = join(options.dir, 'server.properties');
  writeFileSync(
    properties,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${host}:${controllerPort}`,
      `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://${host}:${port}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${dataDir}`,
      `num.partitions=${options.partitions ?? 4}`,
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=4',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=true',
      'log.retention.hours=168',
      '',
    ].join('\n'),
  );
  writeFileSync(join(options.dir, 'log4j.properties'), 'log4j.rootLogger=WARN, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\nlog4j.appender.stdout.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n');
  const classpath = `${libs}/*`;
  const jvm = [`-Xms${options.heapMb ?? 384}m`, `-Xmx${options.heapMb ?? 384}m`, '-XX:+UseG1GC', `-Dlog4j.configuration=file:${join(options.dir, 'log4j.properties')}`, '-cp', classpath];
  const clusterId = formattedClusterId(dataDir) ?? newKafkaClusterId();
  execFileSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', '--ignore-formatted', '-t', clusterId, '-c', properties], { stdio: 'ignore' });
  const logFile = join(options.dir, 'kafka.log');
  const { pid } = spawnServer('java', [...jvm, 'kafka.Kafka', properties], logFile);
  const brokers = `${host}:${port}`;
  try {
    await waitUntil(`Kafka on ${brokers} (log: ${logFile})`, () => tcpAnswers(host, port), 60000);
  } catch (err) {
    await stopProcess(pid);
    throw err;
  }
  return { brokers, pid, dir: options.dir, stop: () => stopProcess(pid, 15000) };
}
