import type { SpoorEnv } from '../spoor-env.js';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Resolves with the process exit code; long-running commands resolve when they stop. */
  run(args: string[], env: SpoorEnv): Promise<number>;
}
