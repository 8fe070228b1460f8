import type { Provider } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { LocalDiskArtifactStore } from './local-disk-artifact-store.js';

/** Injection token of the `ArtifactStore` where tasks keep their files. */
export const ARTIFACT_STORE = Symbol('ARTIFACT_STORE');

/**
 * The local-disk store under `ARTIFACTS_DIR` (default `DATA_DIR/artifacts`), the first (and for now only)
 * implementation. Workers write there and the API streams from there, so split roles share the directory.
 */
export const artifactStoreProvider: Provider = {
  provide: ARTIFACT_STORE,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new LocalDiskArtifactStore(config.server.artifactsDir),
};
