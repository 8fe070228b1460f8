import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.token.js';
import type { AppConfig } from '../../config/load-config.js';
import { ArtifactRetentionModule } from '../../tasks/artifact-retention.module.js';
import { PdfRenderPool } from './pdf-render-pool.js';
import { PdfProcessor } from './pdf.processor.js';

@Module({
  imports: [ArtifactRetentionModule],
  providers: [
    PdfProcessor,
    {
      provide: PdfRenderPool,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PdfRenderPool(config.adapters.pdf),
    },
  ],
})
export class PdfProcessorModule implements OnApplicationShutdown {
  constructor(@Inject(PdfRenderPool) private readonly pool: PdfRenderPool) {}

  /** Workers finish their jobs in `beforeApplicationShutdown`; only then are the render threads ended. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
