/**
 * The two halves the app wires by role (src/app.module.ts): `TasksApiModule` into API_MODULES,
 * `TasksWorkerModule` into WORKER_MODULES. The `all` role loads both; they share TasksCoreModule.
 */
export { TasksApiModule } from './tasks-api.module.js';
export { TasksWorkerModule } from './tasks-worker.module.js';
