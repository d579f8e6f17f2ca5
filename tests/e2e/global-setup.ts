// Decide once, before any e2e suite runs, how the mock cluster is launched:
// as containers when a Docker engine answers, otherwise as separate local
// processes. The e2e tier never skips for want of Docker; it says which way it ran.
import { getContainerRuntimeClient } from 'testcontainers';

export default async function globalSetup(): Promise<void> {
  if (process.env.E6_E2E_RUNTIME === 'docker' || process.env.E6_E2E_RUNTIME === 'process') {
    console.log(`\ne2e: mock cluster runs as ${process.env.E6_E2E_RUNTIME === 'docker' ? 'containers' : 'processes'} (E6_E2E_RUNTIME)`);
    return;
  }
  let runtime: 'docker' | 'process' = 'process';
  let why = '';
  try {
    await getContainerRuntimeClient();
    runtime = 'docker';
  } catch (err) {
    why = err instanceof Error ? err.message : String(err);
  }
  process.env.E6_E2E_RUNTIME = runtime;
  console.log(
    runtime === 'docker'
      ? '\ne2e: a Docker engine answered; the mock cluster runs as containers'
      : `\ne2e: no Docker engine (${why}); the mock cluster runs as separate processes`,
  );
}
