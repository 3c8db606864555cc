// Used only when a Docker engine answers (see docker-engine.ts). Official images, pinned like the local launchers.
import { GenericContainer, Wait } from 'testcontainers';

export async function startKafkaContainer(): Promise<{ brokers: string; stop(): Promise<void> }> {
  const container = await new GenericContainer('apache/kafka:3.9.2')
    .withExposedPorts({ container: 9092, host: 19092 })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:19092',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_NUM_PARTITIONS: '4',
    })
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
  return { brokers: '127.0.0.1:19092', stop: async () => void (await container.stop()) };
}

export async function startRedisContainer(): Promise<{ url: string; stop(): Promise<void> }> {
  const container = await new GenericContainer('redis:7.4').withExposedPorts(6379).withWaitStrategy(Wait.forListeningPorts()).start();
  return { url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`, stop: async () => void (await container.stop()) };
}
