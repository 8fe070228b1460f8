import { Module } from '@nestjs/common';
import { ArtifactRetention } from './artifact-retention.service.js';

/** Artifact retention for every processor module that writes artifacts; one sweeper per process. */
@Module({ providers: [ArtifactRetention], exports: [ArtifactRetention] })
export class ArtifactRetentionModule {}
