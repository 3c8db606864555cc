import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalKafka, startLocalRedis } from '@spoor/infra';
import { dockerEngineAnswers } from './docker-engine.js';

export interface TestInfra {
  kafkaBrokers: string;
  redisUrl: string;
  /** How each was obtained, printed once so a run says what it tested against. */
  provenance: string[];
  stop(): Promise<void>;
}

/**
 * Kafka and Redis for integration tests, in order of preference:
 * 1. KAFKA_BROKERS / REDIS_URL from the environment (a CI service, infra:up);
 * 2. testcontainers, when a Docker engine answers;
 * 3. local processes (Kafka jars from Maven Central, Debian redis-server) on free ports, stopped at the end.
 * Never a mock.
 */
export async function obtainTestInfra(env: NodeJS.ProcessEnv = process.env): Promise<TestInfra> {
  const stops: Array<() => Promise<void>> = [];
  const provenance: string[] = [];
  const docker = !env.KAFKA_BROKERS || !env.REDIS_URL ? await dockerEngineAnswers() : false;
  const workDir = mkdtempSync(join(tmpdir(), 'spoor-test-infra-'));
  stops.push(async () => rmSync(workDir, { recursive: true, force: true }));

  const [kafkaBrokers, redisUrl] = await Promise.all([
    (async () => {
      if (env.KAFKA_BROKERS) {
        provenance.push(`Kafka from KAFKA_BROKERS=${env.KAFKA_BROKERS}`);
        return env.KAFKA_BROKERS;
      }
      if (docker) {
        const { startKafkaContainer } = await import('./containers.js');
        const c = await startKafkaContainer();
        stops.push(c.stop);
        provenance.push(`Kafka from testcontainers at ${c.brokers}`);
        return c.brokers;
      }
      const kafka = await startLocalKafka({ dir: join(workDir, 'kafka') });
      stops.push(kafka.stop);
      provenance.push(`Kafka 3.9 (KRaft) started locally at ${kafka.brokers}, pid ${kafka.pid}`);
      return kafka.brokers;
    })(),
    (async () => {
      if (env.REDIS_URL) {
        provenance.push(`Redis from REDIS_URL=${env.REDIS_URL}`);
        return env.REDIS_URL;
      }
      if (docker) {
        const { startRedisContainer } = await import('./containers.js');
        const c = await startRedisContainer();
        stops.push(c.stop);
        provenance.push(`Redis from testcontainers at ${c.url}`);
        return c.url;
      }
      const redis = await startLocalRedis({ dir: join(workDir, 'redis') });
      stops.push(redis.stop);
      provenance.push(`redis-server started locally at ${redis.url}, pid ${redis.pid}`);
      return redis.url;
    })(),
  ]);

  return {
    kafkaBrokers,
    redisUrl,
    provenance,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}
