import { randomBytes } from 'node:crypto';

/**
 * A new cluster id the way Kafka's own `Uuid.randomUuid()` makes one: a version-4 UUID as unpadded base64url, drawn
 * again while it is the all-zero id or starts with `-` (which `kafka-storage format -t <id>` would read as an option:
 * one random id in 64 did, and `infra:up` failed at random).
 */
export function newKafkaClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const bytes = random(16);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const id = bytes.toString('base64url');
    if (!id.startsWith('-') && !bytes.every((b) => b === 0)) return id;
  }
}
