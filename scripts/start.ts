// `npm start`: the local PocketBase, then the app against it.
import { startDevBackend } from './backend-dev.ts';

try {
  const server = await startDevBackend();
  console.log('The server runs until you press Ctrl+C.');
  server.on('exit', (code) => process.exit(code ?? 0));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
