// Child process for the SIGKILL test: sends 25-message batches forever, printing "acked N" after each send resolves.
import { createFileEventLog } from './file-event-log.js';

const log = createFileEventLog({ dir: process.argv[2]! });
const producer = await log.producer();
for (let batch = 0; ; batch++) {
  await producer.send('t', Array.from({ length: 25 }, (_, i) => ({ key: `k${i}`, value: Buffer.from(`b${batch}-m${i}`) })));
  process.stdout.write(`acked ${batch}\n`);
}
