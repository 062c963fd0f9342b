// A process logging through bufferedStdout: `exit` logs and exits at once, `fatal` throws after
// logging, `stay` logs once and waits to be killed.
import { bufferedStdout, createLogger } from '../../src/logger';

const logger = createLogger({ service: 'fixture', level: 'info', destination: bufferedStdout() });
logger.info('first line');
const mode = process.argv[2];
if (mode === 'exit') {
  logger.info('last line');
  process.exit(3);
} else if (mode === 'fatal') {
  logger.fatal('about to crash');
  throw new Error('crash');
} else {
  setInterval(() => undefined, 1000);
}
