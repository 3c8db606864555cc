import type { TestProject } from 'vitest/node';
import { obtainTestInfra } from './obtain-infra.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    redisUrl: string;
  }
}

/** Once per integration run: real Kafka and Redis, handed to every test file through inject(). */
export default async function setup(project: TestProject) {
  const infra = await obtainTestInfra();
  for (const line of infra.provenance) console.log(`[spoor test infra] ${line}`);
  project.provide('kafkaBrokers', infra.kafkaBrokers);
  project.provide('redisUrl', infra.redisUrl);
  return () => infra.stop();
}
