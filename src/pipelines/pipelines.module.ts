/**
 * The two halves the app wires by role (src/app.module.ts): `PipelinesApiModule` into API_MODULES,
 * `PipelinesWorkerModule` into WORKER_MODULES. The `all` role loads both.
 */
export { PipelinesApiModule } from './pipelines-api.module.js';
export { PipelinesWorkerModule } from './pipelines-worker.module.js';
